import Synchronization
import Testing
@testable import Consistency

/// Budgets enforced inside the search (#17 item 4): steps, time (an
/// injected clock, no real time), memory and interrupt each end a key
/// `unknown` with their reason and the longest linearizable prefix found.
@Suite struct SearchBudgetTests {
    /// w1; r → 1; then 14 concurrent writes; then a read of a value nobody
    /// wrote: not linearizable, but the search learns it only after trying
    /// every order of the writes (2¹⁴ · 14 configurations).
    static var hard: History {
        var h = HistoryBuilder()
        h.op(0, .write, 1)
        h.op(0, .read, 1)
        for p in 1...14 as ClosedRange<Int64> { h.invoke(p, .write, p + 1) }
        for p in 1...14 as ClosedRange<Int64> { h.ok(p, .write, p + 1) }
        h.op(20, .read, 42)
        return h.history
    }

    static func searchOnly(steps: Int = 50_000_000) -> LinearizabilityChecker {
        LinearizabilityChecker(stepBudgetPerKey: steps, usesZones: false)
    }

    /// The prefix is a legal register run from the empty register that respects real time.
    static func isLinearizablePrefix(_ prefix: [RegisterOperation]) -> Bool {
        var value: Int64?
        for (i, op) in prefix.enumerated() {
            if prefix[..<i].contains(where: { $0.invokePosition > op.completePosition }) { return false }
            if op.function == .write { value = op.value } else if op.value != value { return false }
        }
        return true
    }

    @Test func stepBudgetGivesReasonAndLongestPrefix() throws {
        let report = try Self.searchOnly(steps: 100_000).check(Self.hard)
        #expect(report.verdict == .unknown)
        let u = try #require(report.undecided[0])
        #expect(u.reason == "steps")
        // w1, r → 1 and all 14 writes; the read of 42 can never follow.
        #expect(u.longestPrefix.count == 16)
        #expect(u.longestPrefix.prefix(2).map(\.value) == [1, 1])
        #expect(Self.isLinearizablePrefix(u.longestPrefix))
        #expect(report.rendered().contains("key 0: gave up after 100001 search steps (step budget exhausted); no verdict for this key; longest linearizable prefix found: 16 operations"))
    }

    @Test func timeBudgetEndsInsideTheSearch() throws {
        // A clock that advances 1 ms each time it is read: a 10 ms budget ends the key
        // within about 10 checks of 4096 steps, long before the step budget.
        let ticks = Atomic<UInt64>(0)
        var checker = Self.searchOnly()
        checker.clock = { ticks.add(1_000_000, ordering: .relaxed).newValue }
        checker.timeBudgetPerKeyNanoseconds = 10_000_000
        let report = try checker.check(Self.hard)
        #expect(report.verdict == .unknown)
        #expect(report.undecided[0]?.reason == "time")
        #expect(report.unknownKeys[0].steps <= 11 * RegisterSearch.checkEvery)
        #expect(report.rendered().contains("(time budget exhausted)"))
        // Unbounded, the same key is decided.
        #expect(try Self.searchOnly().check(Self.hard).verdict == .notLinearizable)
    }

    @Test func memoryBudgetEndsInsideTheSearch() throws {
        var checker = Self.searchOnly()
        checker.memoryBytesPerKey = 256 << 10
        let report = try checker.check(Self.hard)
        #expect(report.undecided[0]?.reason == "memory")
        #expect(report.rendered().contains("(memory budget exhausted)"))
        #expect(report.maxMemoEntriesPerKey * 16 <= 256 << 10)
    }

    @Test func interruptStopsTheKeyAndTheRest() throws {
        // Three keys; the interrupt arrives during the first key's search.
        var h = HistoryBuilder()
        for e in Self.hard.events { var e = e; e.key = 0; h.events.append(e) }
        h.op(30, .write, 7, key: 1)
        h.op(31, .write, 8, key: 2)
        let calls = Atomic<Int>(0)
        var checker = Self.searchOnly()
        checker.interrupted = { calls.add(1, ordering: .relaxed).newValue > 3 }
        let report = try checker.check(h.history)
        #expect(report.interrupted)
        #expect(report.undecided[0]?.reason == "interrupted")
        #expect(report.uncheckedKeys == 2)
        #expect(report.verdict == .unknown)
        #expect(report.rendered().contains("interrupted: 2 keys not checked"))
        #expect(report.rendered().contains("19 operations on 3 keys: 0 linearizable, 0 not linearizable, 1 unknown"))
    }
}
