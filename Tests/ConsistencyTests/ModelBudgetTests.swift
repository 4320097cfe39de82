import Foundation
import Synchronization
import Testing
@testable import Consistency

/// Budgets inside the generic model search (#17 item 4), as for registers
/// (``SearchBudgetTests``): steps, time (an injected clock, no real time),
/// memory and interrupt each end a key `unknown` with their reason and the
/// longest linearizable prefix found, in the same words.
@Suite struct ModelBudgetTests {
    /// `Fixtures/model-cas-hard.edn` (also run through the CLI by the Lab
    /// tests), cas-register on key :k: w1; cas [1 1]; 14 concurrent writes;
    /// a read of a value nobody wrote; then one write on key :z. Not
    /// linearizable, but the search learns it only after trying every order
    /// of the writes (2¹⁴ · 14 configurations).
    static let hard = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/model-cas-hard.edn"))) ?? Data(), as: UTF8.self)

    func check(_ checker: ModelChecker) throws -> ModelChecker.Report {
        try ModelKind.casRegister.check(ModelHistory.parse(Self.hard), with: checker)
    }

    /// The prefix is a run of the cas register that respects real time.
    static func isLinearizablePrefix(_ prefix: [ModelOperation]) throws -> Bool {
        var state = CasRegisterModel.initial
        for (i, op) in prefix.enumerated() {
            if prefix[..<i].contains(where: { $0.invokePosition > op.completePosition }) { return false }
            guard let step = try CasRegisterModel.step(for: op), let next = CasRegisterModel.apply(step, to: state) else { return false }
            state = next
        }
        return true
    }

    @Test func stepBudgetGivesReasonAndLongestPrefix() throws {
        let report = try check(ModelChecker(stepBudgetPerKey: 100_000))
        #expect(report.verdict == .unknown)
        let u = try #require(report.undecided.first)
        #expect(u.key == .keyword("k") && u.reason == "steps" && u.steps == 100_001)
        // w1, cas [1 1] and all 14 writes; the read of 42 can never follow.
        #expect(u.longestPrefix.count == 16)
        #expect(u.longestPrefix.prefix(2).map(\.invokeLine) == [1, 3])
        #expect(try Self.isLinearizablePrefix(u.longestPrefix))
        #expect(report.rendered().contains("key :k: gave up after 100001 search steps (step budget exhausted); no verdict for this key; longest linearizable prefix found: 16 operations\n"))
        // The other key is linearizable; unbounded, key 0 is decided.
        #expect(report.rendered().contains("checked 2 keys, 18 operations against the cas-register model: 1 linearizable, 0 not linearizable, 1 unknown"))
        #expect(try check(ModelChecker()).verdict == .notLinearizable)
    }

    @Test func timeBudgetEndsInsideTheSearch() throws {
        // A clock that advances 1 ms each time it is read: a 10 ms budget ends the key
        // within about 10 checks of 4096 steps, long before the step budget.
        let ticks = Atomic<UInt64>(0)
        var checker = ModelChecker()
        checker.clock = { ticks.add(1_000_000, ordering: .relaxed).newValue }
        checker.timeBudgetPerKeyNanoseconds = 10_000_000
        let report = try check(checker)
        #expect(report.verdict == .unknown)
        let u = try #require(report.undecided.first)
        #expect(u.reason == "time")
        #expect(u.steps <= 11 * RegisterSearch.checkEvery)
        #expect(try Self.isLinearizablePrefix(u.longestPrefix) && u.longestPrefix.count >= 2)
        #expect(report.rendered().contains("(time budget exhausted); no verdict for this key; longest linearizable prefix found: \(u.longestPrefix.count) operations"))
    }

    @Test func memoryBudgetEndsInsideTheSearch() throws {
        var checker = ModelChecker()
        checker.memoryBytesPerKey = 256 << 10
        let report = try check(checker)
        #expect(report.undecided.first?.reason == "memory")
        #expect(report.rendered().contains("(memory budget exhausted)"))
    }

    @Test func interruptStopsTheKeyAndTheRest() throws {
        let calls = Atomic<Int>(0)
        var checker = ModelChecker()
        checker.interrupted = { calls.add(1, ordering: .relaxed).newValue > 3 }
        let report = try check(checker)
        #expect(report.interrupted)
        #expect(report.undecided.first?.reason == "interrupted")
        #expect(report.uncheckedKeys == 1)
        #expect(report.verdict == .unknown)
        #expect(report.rendered().contains("interrupted: 1 keys not checked; the verdicts above are what was decided so far\n"))
    }

    /// The memory budget counts a kv state's string, not only its inline
    /// size: 16 concurrent appends of 1 KiB each, then a get nobody could
    /// answer, so the search stores many states of up to 16 KiB. Counted
    /// inline (32 bytes a state) an 8 MiB budget would admit 131 072 memo
    /// entries; counted whole it fills after about a thousand, and the key
    /// ends `unknown` (memory) within a few checks of 4096 steps.
    @Test func memoryBudgetCountsTheStatesStorage() throws {
        var lines: [String] = []
        for p in 0..<16 {
            let value = String(repeating: String(UnicodeScalar(UInt8(97 + p))), count: 1024)
            lines.append(#"{"type":"invoke","f":"append","key":"k","value":"\#(value)","process":\#(p)}"#)
        }
        for p in 0..<16 {
            let value = String(repeating: String(UnicodeScalar(UInt8(97 + p))), count: 1024)
            lines.append(#"{"type":"ok","f":"append","key":"k","value":"\#(value)","process":\#(p)}"#)
        }
        lines.append(#"{"type":"invoke","f":"get","key":"k","process":16}"#)
        lines.append(#"{"type":"ok","f":"get","key":"k","value":"nope","process":16}"#)
        var checker = ModelChecker()
        checker.memoryBytesPerKey = 8 << 20
        let report = try ModelKind.kv.check(ModelHistory.parse(lines.joined(separator: "\n") + "\n"), with: checker)
        #expect(report.verdict == .unknown)
        let u = try #require(report.undecided.first)
        #expect(u.reason == "memory")
        #expect(u.steps < 8 * RegisterSearch.checkEvery, "stopped after \(u.steps) steps")
    }
}
