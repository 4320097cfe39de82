import Foundation
import Testing
@testable import Gate
@testable import Lab

/// The gate's trend record keeps every run apart.
struct GateHistoryTests {
    /// Two checks of the same commit within one second are two runs: the
    /// history used to stamp whole seconds, so `wide` (which groups lines by
    /// date, commit and kind) merged them and `gate history` lost a run.
    @Test func twoChecksWithinOneSecondAreTwoRuns() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("history.csv")
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for (offset, value) in [(0.0, 100.0), (0.25, 101.0), (0.5, 102.0)] {
            try GateHistory.append(kind: "check", counter: .callgrind, measured: [("mix", value), ("sum", value * 2)],
                                   commit: "abcdef0123", date: start.addingTimeInterval(offset), to: url)
        }
        let entries = try GateHistory.read(url)
        #expect(entries.count == 6)
        let table = GateHistory.wide(entries)
        #expect(table.rows.count == 3)
        #expect(table.rows.map { $0[4] } == ["100.00", "101.00", "102.00"])
    }
}
