import Lab
import Quorum
import Simulation
import Stats

/// `pacelc`: p99 read and write latency against the stale-read fraction for
/// every (R, W) at N ∈ {3, 5}, per latency preset, healthy and with one node
/// partitioned away — Abadi's PACELC "else latency or consistency" trade-off
/// (Abadi, IEEE Computer 2012) measured in the simulator. Points on the
/// latency/consistency frontier (no other configuration of the panel has
/// both a lower p99 and fewer stale reads) are marked. The Raft core's four
/// read modes (``RaftPACELC``, same cluster and workload; R and W empty) join
/// each panel, so Dynamo, ABD and Raft share one latency-vs-consistency plane.
enum PACELC {
    static let name = "pacelc"
    static let models = ["lnkd-ssd", "lnkd-disk", "ymmr", "wan"]
    static let faults = ["healthy", "partitioned"]

    static func ns(_ scale: Scale) -> [Int] { scale == .quick ? [3] : [3, 5] }
    static func operations(_ scale: Scale) -> Int {
        switch scale {
        case .quick: return 300
        case .standard: return 2_000
        case .full: return 20_000
        }
    }
    static func configurations(_ scale: Scale) -> [(n: Int, r: Int, w: Int)] {
        ns(scale).flatMap { n in (1...n).flatMap { r in (1...n).map { w in (n, r, w) } } }
    }

    static let columns = Columns(
        Column("model", "latency preset"),
        Column("n", "replicas"), Column("r", "read quorum"), Column("w", "write quorum"),
        Column("strict", "1 when R + W > N"),
        Column("fault", "healthy or partitioned"),
        Column("operations", "operations issued"),
        Column("read_p50_ms", "median read latency"), Column("read_p99_ms", "p99 read latency"),
        Column("write_p50_ms", "median write latency"), Column("write_p99_ms", "p99 write latency"),
        Column("stale_fraction", "successful reads that missed the newest write completed before they began"),
        Column("failed_fraction", "requests that timed out (1 s)"),
        Column("messages_per_op", "messages sent per operation"),
        Column("frontier", "1 when no configuration of the same model and fault has both lower max(read, write) p99 and a lower stale fraction"),
        Column("sim_events", "events the simulator processed"),
        Column("sim_events_per_s", "simulator throughput, events per wall-clock second (one sample)", timing: true),
        Column("protocol", "replication core: dynamo, or raft (r, w and strict empty)"),
        Column("read_mode", "raft: log, read_index, lease or follower; empty otherwise"),
        Column("label", "the point's name in the plot: protocol and configuration (dynamo N, R, W; raft N and read mode)"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "p99 latency against stale-read fraction per (N, R, W), latency preset, healthy or one node partitioned (simulated)",
        parameters: [
            Parameter("model", "latency preset") { _ in models },
            Parameter("n", "replicas") { ns($0).map(String.init) },
            Parameter("fault", "healthy, or node 0 partitioned away for the whole run") { _ in faults },
            Parameter("operations", "operations per run (50 % writes, zipfian keys, 1000 ops/s open loop)") { [String(operations($0))] },
        ],
        columns: columns,
        summaryColumns: ["model", "n", "r", "w", "fault", "read_p99_ms", "write_p99_ms", "stale_fraction", "frontier"],
        pointwise: true,
        steps: { scale in models.count * faults.count * (configurations(scale).count + ns(scale).count * RaftConfiguration.ReadMode.allCases.count) },
        run: run)

    static func run(_ context: RunContext) throws -> [Row] {
        var rows: [Row] = []
        for model in models {
            let latency = try LatencyModelCatalog.bundled.model(named: model)
            for fault in faults {
                rows += try context.point("\(model)/\(fault)") {
                    var rows: [Row] = []
                    // The frontier cell is known only once the whole panel is: each point keeps its row to fill in.
                    var panel: [(latency: Double, stale: Double, row: (_ frontier: String) -> Row)] = []
                    for c in configurations(context.scale) {
                        var rng = context.rng("\(name)/\(model)/\(fault)/\(c.n)/\(c.r)/\(c.w)")
                        let setup = QuorumSimulation.Setup(
                            nodeCount: QuorumRuns.nodeCount, quorum: QuorumConfiguration(n: c.n, r: c.r, w: c.w, timeoutNanoseconds: QuorumRuns.timeoutNanoseconds),
                            network: NetworkModel(model: latency, nodeCount: QuorumRuns.nodeCount, partitions: partitions(fault)))
                        let driver = QuorumRuns.workload(operations: operations(context.scale), rng: &rng)
                        let result = QuorumSimulation(setup).run(driver, seed: rng.next())
                        let readP99 = Double(result.reads.value(atPercentile: 99)) / 1e6
                        let writeP99 = Double(result.writes.value(atPercentile: 99)) / 1e6
                        let row = { (frontier: String) in
                            columns.row(model, String(c.n), String(c.r), String(c.w), c.r + c.w > c.n ? "1" : "0", fault,
                                        String(result.readsIssued + result.writesIssued),
                                        QuorumRuns.ms(result.reads.value(atPercentile: 50)), Cell.fixed(readP99),
                                        QuorumRuns.ms(result.writes.value(atPercentile: 50)), Cell.fixed(writeP99),
                                        Cell.fixed(result.staleFraction, 5), Cell.fixed(result.failedFraction, 5),
                                        Cell.fixed(result.messagesPerOperation, 2),
                                        frontier, String(result.events), Cell.fixed(result.eventsPerSecond, 0), "dynamo", "",
                                        "dynamo N=\(c.n) R=\(c.r) W=\(c.w)")
                        }
                        // A configuration that completed no read or no write has no latency to offer.
                        let usable = result.reads.count > 0 && result.writes.count > 0
                        panel.append((usable ? max(readP99, writeP99) : .infinity, result.staleFraction, row))
                        context.progress.advance("\(model) \(fault) N=\(c.n) R=\(c.r) W=\(c.w)")
                    }
                    panel += try raftPoints(context, model: model, latency: latency, fault: fault, partitions: partitions(fault))
                    // Mark the frontier of this panel.
                    for p in panel {
                        let dominated = panel.contains { q in
                            q.latency <= p.latency && q.stale <= p.stale && (q.latency < p.latency || q.stale < p.stale)
                        }
                        rows.append(p.row(dominated || p.latency.isInfinite ? "0" : "1"))
                    }
                    return rows
                }
            }
        }
        return rows
    }

    static func partitions(_ fault: String) -> [NetworkModel.Partition] {
        fault == "partitioned" ? [NetworkModel.Partition(startNanoseconds: 0, endNanoseconds: .max, isolated: [0])] : []
    }

    /// The Raft read modes at each N on this panel's cluster (nodes beyond N proxy to a member), measured after the first election.
    static func raftPoints(_ context: RunContext, model: String, latency: LatencyModel, fault: String,
                           partitions: [NetworkModel.Partition]) throws -> [(latency: Double, stale: Double, row: (_ frontier: String) -> Row)] {
        var points: [(latency: Double, stale: Double, row: (_ frontier: String) -> Row)] = []
        for n in ns(context.scale) {
            for mode in RaftConfiguration.ReadMode.allCases {
                var rng = context.rng("\(name)/\(model)/\(fault)/\(n)/raft/\(mode.rawValue)")
                let oneWay = RaftRuns.oneWayMs(latency)
                let m = RaftRuns.run(quorum: RaftRuns.configuration(n: n, mode: mode, oneWayMs: oneWay),
                                     network: NetworkModel(model: latency, nodeCount: QuorumRuns.nodeCount, partitions: partitions),
                                     nodeCount: QuorumRuns.nodeCount, oneWayMs: oneWay, operations: operations(context.scale), rng: &rng)
                let readP99 = m.reads.count > 0 ? Double(m.reads.value(atPercentile: 99)) / 1e6 : .infinity
                let writeP99 = m.writes.count > 0 ? Double(m.writes.value(atPercentile: 99)) / 1e6 : .infinity
                let row = { (frontier: String) in
                    columns.row(model, String(n), "", "", "", fault, String(m.operations),
                                m.ms(m.reads, 50), m.ms(m.reads, 99), m.ms(m.writes, 50), m.ms(m.writes, 99),
                                Cell.fixed(m.result.staleFraction, 5), Cell.fixed(m.failedFraction, 5),
                                Cell.fixed(m.result.messagesPerOperation, 2),
                                frontier, String(m.result.events), Cell.fixed(m.result.eventsPerSecond, 0), "raft", mode.rawValue,
                                "raft N=\(n) \(mode.rawValue)")
                }
                points.append((max(readP99, writeP99), m.result.staleFraction, row))
                context.progress.advance("\(model) \(fault) raft N=\(n) \(mode.rawValue)")
            }
        }
        return points
    }
}
