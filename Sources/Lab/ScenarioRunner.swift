import Foundation
import Quorum
import Simulation
import Stats
import Workload

/// Runs every combination of a ``Scenario``'s grid in the simulator and
/// returns one CSV row per combination. Combinations with R or W above N
/// are skipped. Deterministic: the same file and seed give the same bytes.
public enum ScenarioRunner {
    public static let columns = [
        "model", "n", "r", "w", "read_repair", "sloppy_quorum", "operations",
        "read_p50_ms", "read_p99_ms", "read_p999_ms", "read_max_ms",
        "write_p50_ms", "write_p99_ms", "write_p999_ms", "write_max_ms",
        "stale_fraction", "versions_behind_mean", "versions_behind_max",
        "monotonic_read_violations", "read_your_writes_violations",
        "failed_fraction", "failed_fraction_in_partition", "stale_fraction_in_partition",
        "messages_per_op", "sim_events",
        // P(consistent read) by the age of the newest completed write when the read began.
        "p_consistent_age_lt_0_1_ms", "p_consistent_age_lt_1_ms", "p_consistent_age_lt_10_ms",
        "p_consistent_age_lt_100_ms", "p_consistent_age_ge_100_ms",
    ]

    public static func run(_ scenario: Scenario, quick: Bool, progress: (String) -> Void = { _ in }) -> CSVTable {
        var table = CSVTable(columns: columns)
        let operations = quick ? scenario.quickOperations : scenario.operations
        let timeout = Int64((scenario.timeoutMs * 1e6).rounded())
        for model in scenario.models {
            let latency = scenario.modelCatalog.models[model]!
            for n in scenario.ns {
                for r in scenario.rs where r <= n {
                    for w in scenario.ws where w <= n {
                        for repair in scenario.readRepairs {
                            for sloppy in scenario.sloppy {
                                let label = "\(model)/\(n)/\(r)/\(w)/\(repair.rawValue)/\(sloppy)"
                                var mix = SplitMix64(seed: scenario.seed ^ XXHashLabel.hash(label))
                                var rng = Xoshiro256StarStar(seed: mix.next())
                                let quorum = QuorumConfiguration(n: n, r: r, w: w, timeoutNanoseconds: timeout, readRepair: repair, sloppyQuorum: sloppy)
                                let network = NetworkModel(model: latency, nodeCount: scenario.nodes, lossProbability: scenario.loss,
                                                           partitions: scenario.partitions, crashes: scenario.crashes)
                                let setup = QuorumSimulation.Setup(nodeCount: scenario.nodes, virtualNodes: scenario.virtualNodes, quorum: quorum,
                                                                   network: network, maxClockSkewMs: scenario.clockSkewMs)
                                let stream = OperationStream(ratePerSecond: scenario.ratePerSecond, writeFraction: scenario.writeFraction,
                                                             keys: KeyDistribution(scenario.keyDistribution, keyCount: scenario.keys),
                                                             clients: scenario.clients, rng: rng.split())
                                let driver: QuorumSimulation.Driver = scenario.closedLoop
                                    ? .closedLoop(stream, clients: scenario.clients, thinkNanoseconds: Int64((scenario.thinkMs * 1e6).rounded()), operations: operations)
                                    : .workload(stream, operations: operations)
                                let result = QuorumSimulation(setup).run(driver, seed: rng.next())
                                table.append(row(model, n, r, w, repair, sloppy, result))
                                progress(label)
                            }
                        }
                    }
                }
            }
        }
        return table
    }

    static func row(_ model: String, _ n: Int, _ r: Int, _ w: Int, _ repair: QuorumConfiguration.ReadRepair, _ sloppy: Bool,
                    _ result: SimulationResult) -> [String] {
        func ms(_ h: LatencyHistogram, _ p: Double) -> String {
            h.count == 0 ? "" : Cell.fixed(Double(h.value(atPercentile: p)) / 1e6, 3)
        }
        func max(_ h: LatencyHistogram) -> String { h.count == 0 ? "" : Cell.fixed(Double(h.max) / 1e6, 3) }
        let reads = result.successfulReads
        return [
            model, String(n), String(r), String(w), repair.rawValue, sloppy ? "1" : "0", String(result.readsIssued + result.writesIssued),
            ms(result.reads, 50), ms(result.reads, 99), ms(result.reads, 99.9), max(result.reads),
            ms(result.writes, 50), ms(result.writes, 99), ms(result.writes, 99.9), max(result.writes),
            Cell.fixed(result.staleFraction, 5),
            Cell.fixed(reads > 0 ? Double(result.versionsBehindTotal) / Double(reads) : 0, 5), String(result.versionsBehindMax),
            String(result.monotonicReadViolations), String(result.readYourWritesViolations),
            Cell.fixed(result.failedFraction, 5), Cell.fixed(result.failedFractionInPartition, 5), Cell.fixed(result.staleFractionInPartition, 5),
            Cell.fixed(result.messagesPerOperation, 2), String(result.events),
        ] + result.byAge.map { $0.reads > 0 ? Cell.fixed(Double($0.consistent) / Double($0.reads), 5) : "" }
    }
}
