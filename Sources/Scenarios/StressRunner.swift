import Consistency
import Foundation
import Lab
import Quorum
import Simulation
import Stats
import Threaded
import Workload

/// `caplab stress FILE`: every combination of a scenario's grid on the
/// threaded runtime (real threads, real clock), with the columns of
/// `caplab simulate` plus the linearizability checker's verdict on the
/// recorded history and the timer's delivery-time error.
public enum StressRunner {
    public static let extraColumns = [
        "client_threads", "replica_threads", "throughput_ops_per_s",
        "delivery_error_p50_us", "delivery_error_p99_us", "delivery_error_max_us",
        "verdict", "keys_checked", "keys_not_linearizable", "keys_unknown",
        // Staleness (``StalenessReport``): largest smallest-Δ over keys (ms; Golab, Li & Shah 2011) and most versions behind of a read
        // as the checker measures it (named apart from the simulator judge's `versions_behind_max` in ScenarioRunner.columns).
        "delta_max_ms", "checked_versions_behind_max",
    ]
    public static var columns: [String] { ScenarioRunner.columns + extraColumns }

    public struct Error: Swift.Error, CustomStringConvertible {
        public let description: String
    }

    /// - Parameters:
    ///   - historyPath: where to save each combination's history
    ///     (`.edn` → Jepsen EDN, otherwise JSON lines); with several
    ///     combinations, `-<index>` goes before the extension. Each history
    ///     is written before it is checked, so an interrupted check loses nothing.
    ///   - stepBudgetPerKey, memoBytesPerKey: the check's budgets (as `caplab check` takes them).
    ///   - interactive: draw the check's progress on stderr (a terminal).
    public static func run(_ scenario: Scenario, quick: Bool, historyPath: String?, stepBudgetPerKey: Int = 20_000_000, memoBytesPerKey: Int = 1 << 30,
                           interactive: Bool = false, progress: (String) -> Void = { _ in }) throws -> CSVTable {
        guard scenario.crashes.isEmpty else {
            throw Error(description: "\(scenario.name): faults.crashes: the threaded runtime does not model crashes; use caplab simulate")
        }
        guard !scenario.readBeforeWrite else {
            throw Error(description: "\(scenario.name): workload.read_before_write: the threaded runtime issues independent operations only; use caplab simulate")
        }
        guard scenario.versionings == [.lww] else {
            throw Error(description: "\(scenario.name): grid.versioning: the threaded runtime runs lww only (vector clocks need client contexts, which the simulator carries); use caplab simulate")
        }
        guard !scenario.closedLoop else {
            throw Error(description: "\(scenario.name): workload.mode: the threaded runtime runs open-loop workloads only")
        }
        var table = CSVTable(columns: columns)
        let operations = quick ? scenario.quickOperations : scenario.operations
        let combinations = ScenarioRunner.combinations(scenario)
        for (index, c) in combinations.enumerated() {
            let latency = scenario.modelCatalog.models[c.model]!
            var mix = SplitMix64(seed: scenario.seed ^ XXHashLabel.hash(c.label))
            var rng = Xoshiro256StarStar(seed: mix.next())
            let network = NetworkModel(model: latency, nodeCount: scenario.nodes, lossProbability: scenario.loss, partitions: scenario.partitions)
            var quorum = c.quorum
            // A durable Raft log starts empty in a directory of its own for each combination, removed afterwards.
            let logDirectory = c.replication == .raft && quorum.raft.durability != .memory
                ? try freshLogDirectory(under: quorum.raft.logDirectory, index: index) : nil
            defer { if let logDirectory { try? FileManager.default.removeItem(atPath: logDirectory) } }
            quorum.raft.logDirectory = logDirectory
            let setup = ThreadedCluster.Setup(nodeCount: scenario.nodes, virtualNodes: scenario.virtualNodes, quorum: quorum, network: network,
                                              replication: c.replication, replicaThreads: scenario.replicaThreads, clientThreads: scenario.clientThreads)
            let stream = ScenarioRunner.stream(scenario, rng: &rng)
            let result = ThreadedCluster(setup).run(stream, operations: operations, seed: rng.next())
            let history = result.history
            if let historyPath {
                let path = combinations.count == 1 ? historyPath : numbered(historyPath, index)
                let format: HistoryFormat = path.hasSuffix(".edn") ? .edn : .jsonLines
                do {
                    try format.render(history).write(toFile: path, atomically: true, encoding: .utf8)
                } catch {
                    throw Error(description: "cannot write history '\(path)': \(error.localizedDescription)")
                }
            }
            let operations = try history.operations()
            let reporter = ProgressReporter(experiment: "checking \(c.label)", totalSteps: operations.count, interactive: interactive)
            let checker = LinearizabilityChecker(stepBudgetPerKey: stepBudgetPerKey, memoBytesPerKey: memoBytesPerKey)
            let report = checker.check(operations) { p in
                let steps = p.currentKeySteps > 0 ? ", \(p.currentKeySteps / 1_000_000) M steps on this key" : ""
                reporter.update(done: p.operationsDone, "operations; key \(min(p.keysDone + 1, p.keys)) of \(p.keys)\(steps)")
            }
            reporter.finish()
            let staleness = try StalenessReport(history)
            table.append(ScenarioRunner.row(c, result.simulation) + extraCells(setup, result, report, staleness))
            progress(c.label)
        }
        return table
    }

    /// A new, empty directory for one combination's Raft logs, under `base` (the system's temporary directory when nil).
    static func freshLogDirectory(under base: String?, index: Int) throws -> String {
        let parent = base ?? NSTemporaryDirectory()
        let path = (parent as NSString).appendingPathComponent("caplab-raft-\(getpid())-\(index)")
        do {
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw Error(description: "raft.log_directory: cannot create '\(path)': \(error.localizedDescription)")
        }
        return path
    }

    static func numbered(_ path: String, _ index: Int) -> String {
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension
        let base = ext.isEmpty ? path : String(path.dropLast(ext.count + 1))
        return ext.isEmpty ? "\(base)-\(index)" : "\(base)-\(index).\(ext)"
    }

    static func us(_ nanoseconds: UInt64) -> String { Cell.fixed(Double(nanoseconds) / 1e3, 1) }

    static func extraCells(_ setup: ThreadedCluster.Setup, _ result: ThreadedResult, _ report: LinearizabilityChecker.Report,
                           _ staleness: StalenessReport) -> [String] {
        let e = result.deliveryError
        return [
            String(setup.clientThreads), String(setup.replicaThreads), Cell.fixed(result.operationsPerSecond, 1),
            us(e.value(atPercentile: 50)), us(e.value(atPercentile: 99)), us(e.count > 0 ? e.max : 0),
            report.verdict == .notLinearizable ? "not_linearizable" : report.verdict.rawValue,
            String(report.keys), String(report.violations.count), String(report.unknownKeys.count),
            staleness.maxDeltaMilliseconds.map { Cell.fixed($0, 3) } ?? "", String(staleness.maxVersionsBehind),
        ]
    }
}
