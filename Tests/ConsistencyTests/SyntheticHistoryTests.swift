import Foundation
import Stats
import Testing
@testable import Consistency

/// The synthetic concurrent histories are linearizable by construction; with
/// `CAPLAB_WRITE_HISTORIES=DIR` set, the test also writes the two histories the
/// README's checker figures use (JSON lines), for `caplab check` and other checkers:
/// linearizable ones, and one hot key at 64 processes with a stale read in every
/// 10 000 (the value read 1 000 reads earlier), which is not.
@Suite struct SyntheticHistoryTests {
    @Test func concurrentRegistersAreLinearizable() throws {
        var rng = Xoshiro256StarStar(seed: 4)
        let h = History.concurrentRegisters(operations: 20_000, keys: 4, processes: 12, using: &rng)
        let report = try LinearizabilityChecker().check(h)
        #expect(report.verdict == .linearizable)
        #expect(report.operations == 20_000)
        #expect(report.keys == 4)
        // Small ones agree with the definition.
        for seed in 0..<50 as Range<UInt64> {
            var small = Xoshiro256StarStar(seed: seed)
            #expect(try BruteForce.linearizable(History.concurrentRegisters(operations: 7, keys: 1, processes: 3, using: &small)))
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CAPLAB_WRITE_HISTORIES"] != nil))
    func writeMeasurementHistories() throws {
        let dir = URL(fileURLWithPath: ProcessInfo.processInfo.environment["CAPLAB_WRITE_HISTORIES"]!)
        let histories = [("registers-1m-ops-10-keys", 1_000_000, 10, 40, false), ("registers-100k-ops-1-key", 100_000, 1, 4, false),
                         ("registers-1m-ops-1-key-64-processes", 1_000_000, 1, 64, false), ("registers-1m-ops-1-key-64-processes-stale", 1_000_000, 1, 64, true)]
        for (name, operations, keys, processes, stale) in histories {
            var rng = Xoshiro256StarStar(seed: 21)
            var h = History.concurrentRegisters(operations: operations, keys: keys, processes: processes, using: &rng)
            if stale { h.makeReadsStale(every: 10_000, behind: 1_000) }
            try HistoryFormat.jsonLines.render(h).write(to: dir.appendingPathComponent(name + ".jsonl"), atomically: true, encoding: .utf8)
        }
    }
}
