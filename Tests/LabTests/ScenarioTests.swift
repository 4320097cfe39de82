import Foundation
import Testing
@testable import Lab
@testable import Scenarios

/// Scenario files: the shipped ones parse, errors name the file and key, and a run is byte-identical per seed.
@Suite struct ScenarioTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func shippedScenariosParse() throws {
        let dir = Self.root.appendingPathComponent("Benchmarks/Scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 3)
        for file in files {
            let scenario = try Scenario.load(path: dir.appendingPathComponent(file).path)
            #expect(!scenario.models.isEmpty && scenario.operations > 0)
        }
        let partition = try Scenario.load(path: dir.appendingPathComponent("partition-sloppy.yaml").path)
        #expect(partition.partitions.count == 1 && partition.partitions[0].isolated == [0, 1] && partition.crashes[0].node == 2)
        #expect(partition.sloppy == [false, true] && partition.readRepairs == [.off] && partition.versionings == [.lww])
        let siblings = try Scenario.load(path: dir.appendingPathComponent("siblings.yaml").path)
        #expect(siblings.versionings == [.lww, .vectorClocks] && ScenarioRunner.combinations(siblings).count == 8)
    }

    @Test func errorsNameTheFileKeyAndExpectation() {
        func message(_ yaml: String) -> String {
            do { _ = try Scenario.parse(yaml, file: "s.yaml"); return "" } catch { return "\(error)" }
        }
        #expect(message("grid: {n: 3}\nworkload: {rate: 5}\n").hasPrefix("s.yaml:2:12: workload.rate: unknown key; expected one of"))
        #expect(message("grid: {n: 7}\ncluster: {nodes: 5}\n") == "s.yaml:1:8: grid.n: N = 7 exceeds cluster.nodes = 5")
        #expect(message("grid: {n: 3, model: nvme}\n").hasPrefix("s.yaml:1:14: grid.model: unknown latency model 'nvme'; known: lnkd-disk"))
        #expect(message("grid: {n: 3, read_repair: sometimes}\n") == "s.yaml:1:14: grid.read_repair: expected off, blocking or background, got 'sometimes'")
        #expect(message("grid: {n: 3, versioning: vclock}\n") == "s.yaml:1:14: grid.versioning: expected lww or vector-clocks, got 'vclock'")
        #expect(message("grid: {n: 3}\nworkload: {read_before_write: [true, false]}\n") == "s.yaml:2:12: workload.read_before_write: expected true or false (one value, not a list)")
        #expect(message("grid: {n: three}\n") == "s.yaml:1:8: grid.n: expected an integer ≥ 1, got 'three'")
        #expect(message("operations: 10\n") == "s.yaml: grid: missing; expected a mapping")
        #expect(message("grid: {n: 3}\nfaults: {crashes: [{node: 9}]}\n") == "s.yaml:2:21: faults.crashes[0].node: node 9 does not exist (cluster.nodes = 6)")
        #expect(message("grid: [1, 2\n").contains("not valid YAML"))
        #expect(message("grid: {n: 3}\nworkload: {mode: sometimes}\n").hasPrefix("s.yaml:2:12: workload.mode: expected open"))
        #expect(message("- a\n- b\n").hasPrefix("s.yaml: expected a mapping"))
    }

    @Test func sameSeedSameBytes() throws {
        let yaml = """
            operations: 300
            seed: 7
            grid: {n: 3, r: [1, 2], w: 2, model: [ymmr], read_repair: background, sloppy_quorum: [false, true]}
            faults: {loss: 0.01, partitions: [{start_ms: 50, end_ms: 200, isolated: [0]}]}
            """
        let scenario = try Scenario.parse(yaml, file: "inline.yaml")
        let a = ScenarioRunner.run(scenario, quick: false).rendered()
        let b = ScenarioRunner.run(try Scenario.parse(yaml, file: "inline.yaml"), quick: false).rendered()
        #expect(a == b)
        #expect(CSVTable.parse(a)?.rows.count == 4)
        var other = scenario
        other.seed = 8
        #expect(ScenarioRunner.run(other, quick: false).rendered() != a)
    }

    @Test func simulateCommandReportsBadFiles() throws {
        let missing = try CLITests.caplab(["simulate", "/nonexistent/what-if.yaml"])
        #expect(missing.status != 0 && missing.stderr.contains("/nonexistent/what-if.yaml: cannot read the file"))
    }
}
