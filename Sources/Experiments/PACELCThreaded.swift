import Lab
import Quorum
import Simulation
import Stats
import Threaded
import Workload

/// `pacelc-threaded`: a subset of the `pacelc` grid run for real on the
/// threaded runtime, side by side with the simulator's prediction for the
/// same configuration, workload and seed: measured / predicted for p50 and
/// p99 latency and for the stale-read fraction. A ratio near 1 says the
/// simulator's network model is what the real runtime experiences; the
/// excess is thread scheduling, queueing and the timer's delivery error
/// (reported alongside).
enum PACELCThreaded {
    static let name = "pacelc-threaded"
    static let models = ["lnkd-ssd", "lnkd-disk"]
    static let quorums = [(r: 1, w: 1), (r: 1, w: 2), (r: 2, w: 1), (r: 2, w: 2), (r: 3, w: 1)]

    static func operations(_ scale: Scale) -> Int {
        switch scale {
        case .quick: return 300
        case .standard: return 1_500
        case .full: return 10_000
        }
    }

    static let columns = Columns(
        Column("model", "latency preset"),
        Column("n", "replicas"), Column("r", "read quorum"), Column("w", "write quorum"),
        Column("operations", "operations issued"),
        Column("read_p50_ms", "measured median read latency (from intended start)"),
        Column("read_p99_ms", "measured p99 read latency"),
        Column("write_p50_ms", "measured median write latency"),
        Column("write_p99_ms", "measured p99 write latency"),
        Column("stale_fraction", "measured fraction of successful reads that missed the newest write completed before they were sent"),
        Column("sim_read_p50_ms", "simulator's median read latency"),
        Column("sim_read_p99_ms", "simulator's p99 read latency"),
        Column("sim_write_p50_ms", "simulator's median write latency"),
        Column("sim_write_p99_ms", "simulator's p99 write latency"),
        Column("sim_stale_fraction", "simulator's stale fraction"),
        Column("ratio_read_p50", "read_p50_ms / sim_read_p50_ms"),
        Column("ratio_read_p99", "read_p99_ms / sim_read_p99_ms"),
        Column("ratio_write_p50", "write_p50_ms / sim_write_p50_ms"),
        Column("ratio_write_p99", "write_p99_ms / sim_write_p99_ms"),
        Column("ratio_stale", "stale_fraction / sim_stale_fraction; empty when the simulator predicts none"),
        Column("delivery_error_p50_us", "median of actual − intended message delivery time"),
        Column("delivery_error_p99_us", "p99 of actual − intended message delivery time"),
        Column("throughput_ops_per_s", "completed operations per wall-clock second"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "measured (threads, real clock) / predicted (simulator) p50, p99 latency and stale fraction, N=3, healthy",
        parameters: [
            Parameter("model", "latency preset") { _ in models },
            Parameter("quorum", "(R, W) at N = 3") { _ in quorums.map { "r\($0.r)w\($0.w)" } },
            Parameter("operations", "operations per run (50 % writes, zipfian keys, 1000 ops/s open loop, 2 client + 2 replica threads)") { [String(operations($0))] },
        ],
        columns: columns,
        summaryColumns: ["model", "r", "w", "ratio_read_p50", "ratio_read_p99", "ratio_write_p99", "ratio_stale", "delivery_error_p99_us"],
        steps: { _ in models.count * quorums.count },
        run: run)

    static func ms(_ h: LatencyHistogram, _ p: Double) -> Double { Double(h.value(atPercentile: p)) / 1e6 }
    static func ratio(_ a: Double, _ b: Double) -> String { b > 0 ? Cell.fixed(a / b, 3) : "" }

    static func run(_ context: RunContext) throws -> [Row] {
        var rows: [Row] = []
        for model in models {
            let latency = try LatencyModelCatalog.bundled.model(named: model)
            for q in quorums {
                var rng = context.rng("\(name)/\(model)/\(q.r)/\(q.w)")
                let quorum = QuorumConfiguration(n: 3, r: q.r, w: q.w, timeoutNanoseconds: QuorumRuns.timeoutNanoseconds)
                let network = NetworkModel(model: latency, nodeCount: QuorumRuns.nodeCount)
                let stream = OperationStream(ratePerSecond: 1_000, writeFraction: 0.5, keys: KeyDistribution(.zipfian(theta: 0.99), keyCount: 1_000),
                                             clients: 16, rng: rng.split())
                let seed = rng.next()
                let ops = operations(context.scale)
                let predicted = QuorumSimulation(.init(nodeCount: QuorumRuns.nodeCount, quorum: quorum, network: network))
                    .run(.workload(stream, operations: ops), seed: seed)
                let measured = ThreadedCluster(.init(nodeCount: QuorumRuns.nodeCount, quorum: quorum, network: network,
                                                     replicaThreads: 2, clientThreads: 2))
                    .run(stream, operations: ops, seed: seed)
                let m = measured.simulation
                let values = [ms(m.reads, 50), ms(m.reads, 99), ms(m.writes, 50), ms(m.writes, 99)]
                let sims = [ms(predicted.reads, 50), ms(predicted.reads, 99), ms(predicted.writes, 50), ms(predicted.writes, 99)]
                let e = measured.deliveryError
                rows.append(columns.row(
                    model, "3", String(q.r), String(q.w), String(m.readsIssued + m.writesIssued),
                    Cell.fixed(values[0], 3), Cell.fixed(values[1], 3), Cell.fixed(values[2], 3), Cell.fixed(values[3], 3),
                    Cell.fixed(m.staleFraction, 5),
                    Cell.fixed(sims[0], 3), Cell.fixed(sims[1], 3), Cell.fixed(sims[2], 3), Cell.fixed(sims[3], 3),
                    Cell.fixed(predicted.staleFraction, 5),
                    ratio(values[0], sims[0]), ratio(values[1], sims[1]), ratio(values[2], sims[2]), ratio(values[3], sims[3]),
                    ratio(m.staleFraction, predicted.staleFraction),
                    Cell.fixed(Double(e.value(atPercentile: 50)) / 1e3, 1), Cell.fixed(Double(e.value(atPercentile: 99)) / 1e3, 1),
                    Cell.fixed(measured.operationsPerSecond, 1)))
                context.progress.advance("\(model) R=\(q.r) W=\(q.w)")
            }
        }
        return rows
    }
}
