import Foundation
import Lab
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
        // The protocol core: dynamo, or abd (majority reads with write-back).
        "protocol",
        // Dynamo versioning (lww or vector-clocks; empty for abd), values per successful read that found the key,
        // the most one read returned, and acknowledged writes dropped unseen per acknowledged write.
        "versioning", "siblings_per_read", "siblings_max", "lost_write_fraction",
        // Raft only (empty otherwise): read mode, PreVote and CheckQuorum (1/0).
        "read_mode", "pre_vote", "check_quorum",
    ]

    /// One grid combination.
    public struct Combination: Sendable {
        public let model: String
        public let quorum: QuorumConfiguration
        public let replication: ReplicationProtocol
        public var label: String {
            "\(model)/\(quorum.n)/\(quorum.r)/\(quorum.w)/\(quorum.readRepair.rawValue)/\(quorum.sloppyQuorum)"
                + (replication == .dynamo ? "" : "/\(replication.rawValue)") + (quorum.versioning == .lww ? "" : "/\(quorum.versioning.rawValue)")
                + (replication == .raft ? "/\(quorum.raft.readMode.rawValue)/pv\(quorum.raft.preVote ? 1 : 0)/cq\(quorum.raft.checkQuorum ? 1 : 0)" : "")
        }
    }

    /// Every combination of the grid, in CSV order: per model and N, each
    /// protocol in registry order — one that honours quorum settings (Dynamo)
    /// over R, W, read repair, sloppy quorum and versioning; one with its
    /// own quorums (ABD) once, with majorities and no repair; Raft once per
    /// read mode, PreVote and CheckQuorum setting.
    public static func combinations(_ scenario: Scenario) -> [Combination] {
        let timeout = Int64((scenario.timeoutMs * 1e6).rounded())
        var result: [Combination] = []
        for model in scenario.models {
            for n in scenario.ns {
                for replication in ReplicationProtocol.allCases where scenario.protocols.contains(replication) {
                    if replication == .raft {
                        for mode in scenario.raftReadModes {
                            for preVote in scenario.raftPreVote {
                                for checkQuorum in scenario.raftCheckQuorum {
                                    var quorum = QuorumConfiguration(n: n, r: n / 2 + 1, w: n / 2 + 1, timeoutNanoseconds: timeout)
                                    quorum.raft = scenario.raft
                                    quorum.raft.readMode = mode
                                    quorum.raft.preVote = preVote
                                    quorum.raft.checkQuorum = checkQuorum
                                    result.append(Combination(model: model, quorum: quorum, replication: replication))
                                }
                            }
                        }
                        continue
                    }
                    guard replication.honoursQuorumSettings else {
                        result.append(Combination(model: model, quorum: QuorumConfiguration(n: n, r: n / 2 + 1, w: n / 2 + 1, timeoutNanoseconds: timeout),
                                                  replication: replication))
                        continue
                    }
                    for r in scenario.rs where r <= n {
                        for w in scenario.ws where w <= n {
                            for repair in scenario.readRepairs {
                                for sloppy in scenario.sloppy {
                                    for versioning in scenario.versionings {
                                        var quorum = QuorumConfiguration(n: n, r: r, w: w, timeoutNanoseconds: timeout, readRepair: repair, sloppyQuorum: sloppy)
                                        quorum.versioning = versioning
                                        result.append(Combination(model: model, quorum: quorum, replication: replication))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// How many combinations ``combinations(_:)`` gives, without building
    /// them (saturating at `Int.max` for absurd grids).
    public static func combinationCount(_ scenario: Scenario) -> Int {
        var count = 0.0
        for n in scenario.ns {
            for replication in ReplicationProtocol.allCases where scenario.protocols.contains(replication) {
                if replication == .raft {
                    count += Double(scenario.raftReadModes.count * scenario.raftPreVote.count * scenario.raftCheckQuorum.count)
                    continue
                }
                if !replication.honoursQuorumSettings { count += 1; continue }
                let r = Double(scenario.rs.filter { $0 <= n }.count), w = Double(scenario.ws.filter { $0 <= n }.count)
                count += r * w * Double(scenario.readRepairs.count * scenario.sloppy.count * scenario.versionings.count)
            }
        }
        let total = count * Double(scenario.models.count)
        return total >= Double(Int.max) ? Int.max : Int(total)
    }

    /// - Parameter warn: told, once per run, when the fault windows lie
    ///   beyond the virtual time a combination ran (its `*_in_partition`
    ///   cells are then left empty: nothing was measured there).
    public static func run(_ scenario: Scenario, quick: Bool, progress: (String) -> Void = { _ in },
                           warn: (String) -> Void = { _ in }) -> CSVTable {
        var table = CSVTable(columns: columns)
        let operations = quick ? scenario.quickOperations : scenario.operations
        var warned = false
        for c in combinations(scenario) {
            var mix = SplitMix64(seed: scenario.seed ^ XXHashLabel.hash(c.label))
            var rng = Xoshiro256StarStar(seed: mix.next())
            let network = scenario.topology.map {
                NetworkModel(topology: $0, lossProbability: scenario.loss, partitions: scenario.partitions, crashes: scenario.crashes)
            } ?? NetworkModel(model: scenario.modelCatalog.models[c.model]!, nodeCount: scenario.nodes, lossProbability: scenario.loss,
                              partitions: scenario.partitions, crashes: scenario.crashes)
            // The simulator keeps Raft logs in memory (raft.durability is for caplab stress).
            var quorum = c.quorum
            quorum.raft.durability = .memory
            var setup = QuorumSimulation.Setup(nodeCount: scenario.nodes, virtualNodes: scenario.virtualNodes, quorum: quorum,
                                               network: network, maxClockSkewMs: scenario.clockSkewMs, replication: c.replication)
            setup.maxClockDrift = scenario.clockDrift
            setup.readBeforeWrite = scenario.readBeforeWrite
            let stream = stream(scenario, rng: &rng)
            let driver: QuorumSimulation.Driver = scenario.closedLoop
                ? .closedLoop(stream, clients: scenario.clients, thinkNanoseconds: Int64((scenario.thinkMs * 1e6).rounded()), operations: operations)
                : .workload(stream, operations: operations)
            let result = QuorumSimulation(setup).run(driver, seed: rng.next())
            if !warned, let note = faultWindowNote(scenario, result) {
                warned = true
                warn(note)
            }
            table.append(row(c, result))
            progress(c.label)
        }
        return table
    }

    /// A warning when the scenario has partition windows but no request
    /// arrived inside any of them (the run ended first, as it easily does
    /// with `--quick`).
    static func faultWindowNote(_ scenario: Scenario, _ result: SimulationResult) -> String? {
        guard let first = scenario.partitions.map(\.startNanoseconds).min(), result.issuedInPartition == 0 else { return nil }
        let ranMs = Double(result.virtualNanoseconds) / 1e6, startMs = Double(first) / 1e6
        return "faults.partitions: no request arrived inside a partition window (the run's virtual time ended at "
            + "\(Cell.fixed(ranMs, 1)) ms; the first window starts at \(Cell.fixed(startMs, 1)) ms); "
            + "the *_in_partition columns are left empty. Start the window earlier or run more operations."
    }

    /// The scenario's operation stream for one combination.
    static func stream(_ scenario: Scenario, rng: inout Xoshiro256StarStar) -> OperationStream {
        OperationStream(ratePerSecond: scenario.ratePerSecond, writeFraction: scenario.writeFraction,
                        keys: KeyDistribution(scenario.keyDistribution, keyCount: scenario.keys),
                        clients: scenario.clients, rng: rng.split())
    }

    static func row(_ c: Combination, _ result: SimulationResult) -> [String] {
        row(c.model, c.quorum.n, c.quorum.r, c.quorum.w, c.quorum.readRepair, c.quorum.sloppyQuorum, result)
            + [c.replication.rawValue, c.replication.honoursQuorumSettings ? c.quorum.versioning.rawValue : "",
               Cell.fixed(result.siblingsPerRead, 4), String(result.siblingsMax), Cell.fixed(result.lostWriteFraction, 5)]
            + (c.replication == .raft ? [c.quorum.raft.readMode.rawValue, c.quorum.raft.preVote ? "1" : "0", c.quorum.raft.checkQuorum ? "1" : "0"]
                                      : ["", "", ""])
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
            Cell.fixed(result.failedFraction, 5),
            // Empty, not 0, when nothing arrived inside a partition window: nothing was measured there.
            result.issuedInPartition > 0 ? Cell.fixed(result.failedFractionInPartition, 5) : "",
            result.readsInPartition > 0 ? Cell.fixed(result.staleFractionInPartition, 5) : "",
            Cell.fixed(result.messagesPerOperation, 2), String(result.events),
        ] + result.byAge.map { $0.reads > 0 ? Cell.fixed(Double($0.consistent) / Double($0.reads), 5) : "" }
    }
}
