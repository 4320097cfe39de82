import Foundation
import Stats
import Testing
@testable import Consistency

/// The synthetic concurrent histories are linearizable by construction; with
/// `CAPLAB_WRITE_HISTORIES=DIR` set, the test also writes the two histories the
/// README's checker figures use (JSON lines), for `caplab check` and other checkers.
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
        for (name, operations, keys, processes) in [("registers-1m-ops-10-keys", 1_000_000, 10, 40), ("registers-100k-ops-1-key", 100_000, 1, 4)] {
            var rng = Xoshiro256StarStar(seed: 21)
            let h = History.concurrentRegisters(operations: operations, keys: keys, processes: processes, using: &rng)
            try HistoryFormat.jsonLines.render(h).write(to: dir.appendingPathComponent(name + ".jsonl"), atomically: true, encoding: .utf8)
        }
    }
}
