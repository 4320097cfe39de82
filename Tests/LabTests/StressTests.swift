import Foundation
import Testing
@testable import Lab
@testable import Scenarios

/// `caplab stress`: a scenario on the threaded runtime, with the checker's verdict per combination.
@Suite(.serialized) struct StressTests {
    /// ABD, N = 3, on 2 client and 2 replica threads, 3 000 operations/s over uniform keys.
    static func abd(operations: Int, seed: Int, nodes: Int, keys: Int) throws -> Scenario {
        let yaml = """
            operations: \(operations)
            seed: \(seed)
            cluster: {nodes: \(nodes)}
            threads: {clients: 2, replicas: 2}
            grid: {protocol: abd, n: 3, model: lnkd-ssd}
            workload: {rate_per_s: 3000, keys: \(keys), key_distribution: uniform}
            """
        return try Scenario.parse(yaml, file: "inline.yaml")
    }

    @Test func abdScenarioIsLinearizableAndItsHistoryChecksFromTheFile() throws {
        let scenario = try Self.abd(operations: 300, seed: 3, nodes: 5, keys: 4)
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
        // ABD is linearizable: every key Δ-atomic at Δ = 0, no read certainly behind.
        #expect(row["delta_max_ms"] == "0.000")
        #expect(row["checked_versions_behind_max"] == "0")
        let check = try CLITests.caplab(["check", path])
        #expect(check.status == 0)
        #expect(check.stdout.hasPrefix("linearizable\n"))
    }

    /// The post-run check has `caplab check`'s budgets; the history is on disk whatever the check concludes.
    @Test func checkRespectsTheBudgetAndTheHistoryIsWritten() throws {
        let scenario = try Self.abd(operations: 200, seed: 5, nodes: 3, keys: 2)
        let dir = try TemporaryDirectory()
        let path = dir.url.appendingPathComponent("h.jsonl").path
        let table = try StressRunner.run(scenario, quick: false, historyPath: path, stepBudgetPerKey: 1)
        let row = Dictionary(uniqueKeysWithValues: zip(StressRunner.columns, table.rows[0]))
        // Every write a fresh value: the zones decide both keys, whatever the search budget.
        #expect(row["verdict"] == "linearizable")
        #expect(row["keys_unknown"] == "0")
        let check = try CLITests.caplab(["check", path, "--budget", "1", "--memo-mb", "1", "--search-only"])
        #expect(check.status == 2)
        let full = try CLITests.caplab(["check", path])
        #expect(full.status == 0)
        #expect(full.stdout.contains("200 operations on 2 keys: 2 linearizable"))
    }

    /// Each refusal names the scenario key at fault and where to go instead.
    @Test func unsupportedScenariosAreRefused() throws {
        let crash = try Scenario.parse("grid: {n: 3}\nfaults: {crashes: [{node: 1, start_ms: 1, end_ms: 2}]}\n", file: "c.yaml")
        #expect { try StressRunner.run(crash, quick: true, historyPath: nil) } throws: {
            "\($0)" == "\(crash.name): faults.crashes: the threaded runtime does not model crashes; use caplab simulate"
        }
        #expect { try Scenario.parse("grid: {n: 3, protocol: paxos}\n", file: "p.yaml") } throws: {
            "\($0)" == "p.yaml:1:14: grid.protocol: expected dynamo, abd or raft, got 'paxos'"
        }
        let siblings = try Scenario.parse("grid: {n: 3, versioning: [lww, vector-clocks]}\n", file: "v.yaml")
        #expect { try StressRunner.run(siblings, quick: true, historyPath: nil) } throws: {
            "\($0)" == "\(siblings.name): grid.versioning: the threaded runtime runs lww only (vector clocks need client contexts, which the simulator carries); use caplab simulate"
        }
    }
}
