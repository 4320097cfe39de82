import Stats
import Testing
@testable import Consistency

/// Hand-written histories with known verdicts, after the examples of
/// Herlihy & Wing (TOPLAS 1990, §2) and Kingsbury's Jepsen register analyses.
@Suite struct LinearizabilityTests {
    let checker = LinearizabilityChecker()

    func verdict(_ h: HistoryBuilder) throws -> LinearizabilityChecker.Verdict {
        try checker.check(h.history).verdict
    }

    @Test func sequentialWriteThenReadIsLinearizable() throws {
        var h = HistoryBuilder()
        h.op(0, .read, nil)
        h.op(0, .write, 1)
        h.op(1, .read, 1)
        #expect(try verdict(h) == .linearizable)
    }

    @Test func staleReadAfterACompletedWriteIsNot() throws {
        var h = HistoryBuilder()
        h.op(0, .write, 1)
        h.op(1, .read, nil)
        let report = try checker.check(h.history)
        #expect(report.verdict == .notLinearizable)
        #expect(report.violations.count == 1)
        let window = report.violations[0].window
        #expect(report.violations[0].minimised)
        #expect(window.count == 2)
        #expect(window.map(\.function) == [.write, .read])
    }

    /// Two reads during one slow write: the first sees the new value, the later one the old.
    @Test func newThenOldReadsAreNot() throws {
        var h = HistoryBuilder()
        h.invoke(0, .write, 1)
        h.op(1, .read, 1)
        h.op(2, .read, nil)
        h.ok(0, .write, 1)
        let report = try checker.check(h.history)
        #expect(report.verdict == .notLinearizable)
        // The window keeps the write whose value a read returned: write 1, read → 1, read → nil.
        #expect(report.violations[0].window.map(\.function) == [.write, .read, .read])
        // The same reads in the other order are fine: old, then new.
        var g = HistoryBuilder()
        g.invoke(0, .write, 1)
        g.op(2, .read, nil)
        g.op(1, .read, 1)
        g.ok(0, .write, 1)
        #expect(try verdict(g) == .linearizable)
    }

    /// Overlapping writes linearize in either order; the reads after them pin one.
    @Test func overlappingWritesOnlyInOneOrder() throws {
        var h = HistoryBuilder()
        h.invoke(0, .write, 1)
        h.invoke(1, .write, 2)
        h.ok(0, .write, 1)
        h.ok(1, .write, 2)
        h.op(2, .read, 1) // only if write 2 came first
        #expect(try verdict(h) == .linearizable)
        h.op(2, .read, 2) // then 2 again: impossible
        #expect(try verdict(h) == .notLinearizable)
    }

    /// A read concurrent with a write may see either value, but a later read must agree.
    @Test func readConcurrentWithWrite() throws {
        var h = HistoryBuilder()
        h.op(0, .write, 1)
        h.invoke(1, .write, 2)
        h.invoke(2, .read)
        h.ok(2, .read, 2)
        h.ok(1, .write, 2)
        h.op(3, .read, 2)
        #expect(try verdict(h) == .linearizable)
        var g = HistoryBuilder()
        g.op(0, .write, 1)
        g.invoke(1, .write, 2)
        g.invoke(2, .read)
        g.ok(2, .read, 2)
        g.ok(1, .write, 2)
        g.op(3, .read, 1)
        #expect(try verdict(g) == .notLinearizable)
    }

    @Test func indeterminateWriteThatTookEffect() throws {
        var h = HistoryBuilder()
        h.invoke(0, .write, 1)
        h.info(0, .write, 1)
        h.op(1, .read, 1)
        #expect(try verdict(h) == .linearizable)
    }

    @Test func indeterminateWriteThatDidNot() throws {
        var h = HistoryBuilder()
        h.invoke(0, .write, 1)
        h.info(0, .write, 1)
        h.op(1, .read, nil)
        h.op(1, .read, nil)
        #expect(try verdict(h) == .linearizable)
    }

    /// An indeterminate write may take effect long after its invocation — but only once.
    @Test func indeterminateWriteTakesEffectLater() throws {
        var h = HistoryBuilder()
        h.op(2, .write, 5)
        h.invoke(0, .write, 1)
        h.info(0, .write, 1)
        h.op(1, .read, 5)
        h.op(1, .read, 1)
        #expect(try verdict(h) == .linearizable)
        h.op(1, .read, 5) // back to 5 after 1: no single point explains it
        #expect(try verdict(h) == .notLinearizable)
    }

    /// A write that never completed at all is indeterminate too.
    @Test func unfinishedWriteIsIndeterminate() throws {
        var h = HistoryBuilder()
        h.invoke(0, .write, 1)
        h.op(1, .read, nil)
        h.op(1, .read, 1)
        #expect(try verdict(h) == .linearizable)
    }

    @Test func failedWriteNeverTookEffect() throws {
        var h = HistoryBuilder()
        h.invoke(0, .write, 1)
        h.fail(0, .write, 1)
        h.op(1, .read, 1)
        #expect(try verdict(h) == .notLinearizable)
    }

    @Test func keysAreCheckedSeparately() throws {
        var h = HistoryBuilder()
        h.op(0, .write, 1, key: 10)
        h.op(1, .write, 1, key: 20)
        h.op(2, .read, 1, key: 10)
        h.op(2, .read, nil, key: 20) // stale on key 20 only
        let report = try checker.check(h.history)
        #expect(report.keys == 2)
        #expect(report.verdict == .notLinearizable)
        #expect(report.violations.map(\.key) == [20])
        // The value 1 written to key 10 is no excuse for key 20.
        var g = HistoryBuilder()
        g.op(0, .write, 1, key: 10)
        g.op(2, .read, 1, key: 20)
        #expect(try verdict(g) == .notLinearizable)
    }

    @Test func exhaustedBudgetIsUnknownNotAGuess() throws {
        var h = HistoryBuilder()
        for p in 0..<8 as Range<Int64> { h.invoke(p, .write, p + 1) }
        for p in 0..<8 as Range<Int64> { h.ok(p, .write, p + 1) }
        h.op(9, .read, 42) // a value nobody wrote: not linearizable, but only after trying every order
        let tiny = LinearizabilityChecker(stepBudgetPerKey: 10, usesZones: false) // zones would decide it without search
        let report = try tiny.check(h.history)
        #expect(report.verdict == .unknown)
        #expect(report.unknownKeys.count == 1)
        #expect(report.rendered().hasPrefix("unknown\n"))
        #expect(try checker.check(h.history).verdict == .notLinearizable)
    }

    @Test func pairingErrorsNameTheLine() throws {
        var h = HistoryBuilder()
        h.invoke(0, .write, 1)
        h.ok(1, .write, 1)
        #expect(throws: HistoryError(line: 2, "ok from process 1 without a pending invoke")) { try h.history.operations() }
        var g = HistoryBuilder()
        g.invoke(0, .write, 1)
        g.invoke(0, .read)
        #expect(throws: HistoryError.self) { try g.history.operations() }
    }

    /// Agreement with the definition on thousands of small random histories.
    @Test func agreesWithBruteForceOnRandomHistories() throws {
        var generator = RandomHistory(rng: Xoshiro256StarStar(seed: 8))
        var counts: [LinearizabilityChecker.Verdict: Int] = [:]
        for trial in 0..<4_000 {
            generator.uniqueValues = trial % 2 == 1
            let h = generator.make(operations: 2 + trial % 6, processes: 2 + trial % 3)
            let expected = try BruteForce.linearizable(h)
            let report = try checker.check(h)
            counts[report.verdict, default: 0] += 1
            #expect(report.verdict == (expected ? .linearizable : .notLinearizable), "trial \(trial): \(HistoryFormat.edn.render(h))")
            // Every reported window is a real violation (more of this in ExplanationTests).
            for v in report.violations {
                #expect(try BruteForce.isRealWindow(v, in: h))
            }
        }
        // Both verdicts occur often enough for the agreement to mean something.
        #expect(counts[.linearizable, default: 0] > 500)
        #expect(counts[.notLinearizable, default: 0] > 500)
    }

    /// Many keys, each a long run of overlapping operations, all linearizable by construction.
    @Test func longMultiKeyHistoryIsLinearizable() throws {
        var rng = Xoshiro256StarStar(seed: 3)
        var h = HistoryBuilder()
        var register: [HistoryKey: Int64] = [:]
        var next: Int64 = 1
        for round in 0..<500 {
            let key = HistoryKey.integer(Int64(rng.next() % 20))
            // Three overlapping operations; the write takes effect before both reads return.
            let v = next
            next += 1
            h.invoke(Int64(3 * round), .write, v, key: key)
            h.invoke(Int64(3 * round + 1), .read, key: key)
            let old = register[key]
            register[key] = v
            h.ok(Int64(3 * round + 1), .read, rng.next() % 2 == 0 ? old : v, key: key)
            h.ok(Int64(3 * round), .write, v, key: key)
            h.op(Int64(3 * round + 2), .read, v, key: key)
        }
        let report = try checker.check(h.history)
        #expect(report.verdict == .linearizable)
        #expect(report.operations == 1_500)
    }
}
