import Lab
import Quorum
import Simulation
import Stats

/// `raft-pacelc`: what each Raft read mode costs and buys — write and read
/// p50/p99, stale-read fraction and messages per operation for the four
/// read modes of Ongaro's thesis §6.4 (log, ReadIndex, lease, follower) at
/// N = 3 and 5, over a constant one-way peer delay swept across orders of
/// magnitude and over the PBS latency presets (simulated, healthy).
/// Clients reach a uniformly chosen member (no proxies), so 1 − 1/N of the
/// writes are forwarded to the leader as etcd forwards them.
enum RaftPACELC {
    static let name = "raft-pacelc"
    static let presets = ["lnkd-ssd", "lnkd-disk", "ymmr", "wan"]

    static func delays(_ scale: Scale) -> [Double] { scale == .quick ? [0.1, 10] : [0.1, 1, 10, 100] }
    static func ns(_ scale: Scale) -> [Int] { scale == .quick ? [3] : [3, 5] }
    static func models(_ scale: Scale) -> [String] { scale == .quick ? ["lnkd-ssd"] : presets }
    static func operations(_ scale: Scale) -> Int {
        switch scale {
        case .quick: return 300
        case .standard: return 2_000
        case .full: return 20_000
        }
    }

    static let columns = Columns(
        Column("network", "delay (a constant one-way delay) or the latency preset's name"),
        Column("one_way_ms", "one-way peer delay (delay rows), or the preset's mean write leg plus cross-datacenter delay"),
        Column("n", "Raft group size"),
        Column("read_mode", "log, read_index, lease or follower"),
        Column("election_timeout_ms", "base election timeout T (waits uniform in [T, 2T))"),
        Column("heartbeat_ms", "leader heartbeat interval"),
        Column("operations", "operations issued after the warm-up (the first election) and measured"),
        Column("write_p50_ms", "median write latency (client at a uniformly chosen member)"),
        Column("write_p99_ms", "p99 write latency"),
        Column("read_p50_ms", "median read latency"),
        Column("read_p99_ms", "p99 read latency"),
        Column("write_p50_rtt", "write_p50_ms / (2 × one_way_ms)"),
        Column("read_p50_rtt", "read_p50_ms / (2 × one_way_ms)"),
        Column("stale_fraction", "successful reads that missed the newest write completed before they began (whole run)"),
        Column("failed_fraction", "measured operations that timed out"),
        Column("messages_per_op", "messages sent per operation, heartbeats included (whole run)"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "Raft read modes: write/read p50, p99, stale reads and messages per op against one-way delay and latency preset, N = 3, 5 (simulated)",
        parameters: [
            Parameter("delay_ms", "constant one-way peer delay") { delays($0).map { Cell.fixed($0, 1) } },
            Parameter("model", "latency preset") { models($0) },
            Parameter("n", "group size") { ns($0).map(String.init) },
            Parameter("read_mode", "Raft read mode") { _ in RaftConfiguration.ReadMode.allCases.map(\.rawValue) },
            Parameter("operations", "measured operations per run (50 % writes, zipfian keys, 1000 ops/s open loop)") { [String(operations($0))] },
        ],
        columns: columns,
        summaryColumns: ["network", "n", "read_mode", "write_p50_ms", "write_p99_ms", "read_p50_ms", "read_p99_ms", "stale_fraction", "messages_per_op"],
        steps: { scale in (delays(scale).count + models(scale).count) * ns(scale).count * RaftConfiguration.ReadMode.allCases.count },
        run: run)

    static func run(_ context: RunContext) throws -> [Row] {
        var networks: [(label: String, oneWay: Double, network: (Int) -> NetworkModel)] = delays(context.scale).map { d in
            ("delay", d, { NetworkModel(delay: LatencyDistribution(.constant(d)), nodeCount: $0) })
        }
        for preset in models(context.scale) {
            let model = try LatencyModelCatalog.bundled.model(named: preset)
            networks.append((preset, RaftRuns.oneWayMs(model), { NetworkModel(model: model, nodeCount: $0) }))
        }
        var rows: [Row] = []
        for net in networks {
            for n in ns(context.scale) {
                for mode in RaftConfiguration.ReadMode.allCases {
                    var rng = context.rng("\(name)/\(net.label)/\(net.oneWay)/\(n)/\(mode.rawValue)")
                    let quorum = RaftRuns.configuration(n: n, mode: mode, oneWayMs: net.oneWay)
                    let m = RaftRuns.run(quorum: quorum, network: net.network(n), nodeCount: n, oneWayMs: net.oneWay,
                                         operations: operations(context.scale), rng: &rng)
                    let rtt = 2 * net.oneWay
                    func rtts(_ h: LatencyHistogram) -> String {
                        h.count > 0 ? Cell.fixed(Double(h.value(atPercentile: 50)) / 1e6 / rtt, 2) : ""
                    }
                    rows.append(columns.row(
                        net.label, Cell.fixed(net.oneWay, 3), String(n), mode.rawValue,
                        Cell.fixed(Double(quorum.raft.electionTimeoutNanoseconds) / 1e6, 0),
                        Cell.fixed(Double(quorum.raft.heartbeatIntervalNanoseconds) / 1e6, 0),
                        String(m.operations), m.ms(m.writes, 50), m.ms(m.writes, 99), m.ms(m.reads, 50), m.ms(m.reads, 99),
                        rtts(m.writes), rtts(m.reads),
                        Cell.fixed(m.result.staleFraction, 5), Cell.fixed(m.failedFraction, 5),
                        Cell.fixed(m.result.messagesPerOperation, 2)))
                    context.progress.advance("\(net.label) \(net.oneWay) ms N=\(n) \(mode.rawValue)")
                }
            }
        }
        return rows
    }
}
