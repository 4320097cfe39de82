import Stats
import Testing
@testable import Consistency

/// The zones verdict (unique written values) against the search and the definition.
@Suite struct RegisterZonesTests {
    let zones = LinearizabilityChecker()
    let search = LinearizabilityChecker(usesZones: false)

    /// Small random histories with unique values: zones and search agree on
    /// every one, and zones decided every key.
    @Test func agreesWithTheSearchOnRandomHistories() throws {
        var generator = RandomHistory(rng: Xoshiro256StarStar(seed: 17))
        generator.uniqueValues = true
        var counts: [LinearizabilityChecker.Verdict: Int] = [:]
        for trial in 0..<10_000 {
            let h = generator.make(operations: 2 + trial % 11, processes: 2 + trial % 4)
            let fast = try zones.check(h)
            let slow = try search.check(h)
            #expect(slow.verdict != .unknown)
            #expect(fast.verdict == slow.verdict, "trial \(trial): \(HistoryFormat.edn.render(h))")
            #expect(fast.zoneKeys == fast.keys)
            counts[fast.verdict, default: 0] += 1
        }
        #expect(counts[.linearizable, default: 0] > 2_000)
        #expect(counts[.notLinearizable, default: 0] > 2_000)
    }

    @Test func agreesWithBruteForceOnSmallHistories() throws {
        var generator = RandomHistory(rng: Xoshiro256StarStar(seed: 29))
        generator.uniqueValues = true
        for trial in 0..<3_000 {
            let h = generator.make(operations: 2 + trial % 6, processes: 2 + trial % 3)
            let report = try zones.check(h)
            #expect(report.verdict == (try BruteForce.linearizable(h) ? .linearizable : .notLinearizable), "trial \(trial): \(HistoryFormat.edn.render(h))")
            // The explanation still prints a real window when zones decided.
            for v in report.violations { #expect(try BruteForce.isRealWindow(v, in: h)) }
        }
    }

    /// Repeated values go to the search.
    @Test func repeatedValuesFallBackToTheSearch() throws {
        var h = HistoryBuilder()
        h.op(0, .write, 1)
        h.op(1, .write, 1)
        h.op(2, .read, 1)
        let report = try zones.check(h.history)
        #expect(report.verdict == .linearizable)
        #expect(report.zoneKeys == 0)
        #expect(report.steps > 0)
    }

    /// Each condition of the characterisation, on its own.
    @Test func eachConditionIsAViolation() throws {
        // A read that completes before its write is invoked.
        var early = HistoryBuilder()
        early.op(1, .read, 1)
        early.op(0, .write, 1)
        // Two forward zones overlap: 1 is overwritten by 2, then read again.
        var forward = HistoryBuilder()
        forward.op(0, .write, 1)
        forward.op(0, .write, 2)
        forward.op(1, .read, 2)
        forward.op(1, .read, 1)
        // A backward zone (write 2 alone) inside a forward one (write 1 … read 1).
        var inside = HistoryBuilder()
        inside.op(0, .write, 1)
        inside.op(0, .write, 2)
        inside.op(1, .read, 1)
        // The empty register read after a write completed.
        var empty = HistoryBuilder()
        empty.op(0, .write, 1)
        empty.op(1, .read, nil)
        for h in [early, forward, inside, empty] {
            let report = try zones.check(h.history)
            #expect(report.verdict == .notLinearizable)
            #expect(report.zoneKeys == 1)
            #expect(report.violations.count == 1)
        }
        // An indeterminate write read late is fine; one nobody read constrains nothing.
        var info = HistoryBuilder()
        info.invoke(0, .write, 1)
        info.info(0, .write, 1)
        info.op(1, .write, 2)
        info.op(1, .read, 2)
        info.op(1, .read, 1)
        info.invoke(2, .write, 3)
        info.info(2, .write, 3)
        info.op(1, .read, 1)
        #expect(try zones.check(info.history).verdict == .linearizable)
    }

    /// One hot key at high concurrency: a definite verdict where the search
    /// would run out of budget, linearizable as built and not once a stale read is added.
    @Test func hotKeyAtHighConcurrency() throws {
        var rng = Xoshiro256StarStar(seed: 5)
        var h = History.concurrentRegisters(operations: 20_000, keys: 1, processes: 64, using: &rng)
        let report = try zones.check(h)
        #expect(report.verdict == .linearizable)
        #expect(report.zoneKeys == 1 && report.steps == 0)
        h.events.append(HistoryEvent(type: .invoke, function: .read, process: 1_000, key: 0))
        h.events.append(HistoryEvent(type: .ok, function: .read, process: 1_000, key: 0, value: nil))
        h.lines = h.events.indices.map { $0 + 1 }
        let stale = try zones.check(h)
        #expect(stale.verdict == .notLinearizable)
        #expect(stale.violations.first?.window.last?.process == 1_000)
    }

    /// A stale read deep in a hot key: the zones' clusters seed the window, so
    /// it is small and shrunk within a budget the search's window hunt alone runs out of.
    @Test func staleReadWindowAtHighConcurrency() throws {
        var rng = Xoshiro256StarStar(seed: 6)
        var h = History.concurrentRegisters(operations: 20_000, keys: 1, processes: 64, using: &rng)
        h.makeReadsStale(every: 5_000, behind: 1_000)
        let report = try LinearizabilityChecker(stepBudgetPerKey: 100_000).check(h)
        #expect(report.verdict == .notLinearizable)
        let window = try #require(report.violations.first)
        #expect(window.minimised)
        #expect(window.window.count <= 4)
    }
}
