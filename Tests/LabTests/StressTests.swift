import Foundation
import Testing
@testable import Lab
@testable import Scenarios

/// `caplab stress`: a scenario on the threaded runtime, with the checker's verdict per combination.
@Suite(.serialized) struct StressTests {
    @Test func abdScenarioIsLinearizableAndItsHistoryChecksFromTheFile() throws {
        let yaml = """
            operations: 300
            seed: 3
            cluster: {nodes: 5}
            threads: {clients: 2, replicas: 2}
            grid: {protocol: abd, n: 3, model: lnkd-ssd}
            workload: {rate_per_s: 3000, keys: 4, key_distribution: uniform}
            """
        let scenario = try Scenario.parse(yaml, file: "inline.yaml")
        #expect(scenario.protocols == [.abd] && scenario.clientThreads == 2)
        let dir = try TemporaryDirectory()
        let path = dir.url.appendingPathComponent("h.edn").path
        let table = try StressRunner.run(scenario, quick: false, historyPath: path)
        #expect(table.rows.count == 1)
        let row = Dictionary(uniqueKeysWithValues: zip(StressRunner.columns, table.rows[0]))
        #expect(row["protocol"] == "abd" && row["r"] == "2" && row["w"] == "2")
        #expect(row["verdict"] == "linearizable")
        #expect(row["operations"] == "300")
        #expect(row["stale_fraction"] == "0.00000")
        #expect(Double(row["delivery_error_p99_us"] ?? "") != nil)
        let check = try CLITests.caplab(["check", path])
        #expect(check.status == 0)
        #expect(check.stdout.hasPrefix("linearizable\n"))
    }

    @Test func unsupportedScenariosAreRefused() throws {
        let crash = try Scenario.parse("grid: {n: 3}\nfaults: {crashes: [{node: 1, start_ms: 1, end_ms: 2}]}\n", file: "c.yaml")
        #expect(throws: StressRunner.Error.self) { try StressRunner.run(crash, quick: true, historyPath: nil) }
        #expect((try? Scenario.parse("grid: {n: 3, protocol: paxos}\n", file: "p.yaml")) == nil)
        let siblings = try Scenario.parse("grid: {n: 3, versioning: [lww, vector-clocks]}\n", file: "v.yaml")
        #expect { try StressRunner.run(siblings, quick: true, historyPath: nil) } throws: { "\($0)".contains("grid.versioning") }
    }
}
