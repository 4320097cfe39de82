import Lab
import Quorum
import Simulation
import Stats

/// `partition`: the CAP picture. N = 3 on 6 nodes; nodes 0 and 1 are cut off
/// from the rest for the middle half of the run. For a strict quorum
/// (R = W = 2), a partial one (R = W = 1) and a strict quorum made sloppy with
/// hinted handoff, per latency preset: the fraction of requests that failed
/// and the fraction of reads that were stale, counted for requests that
/// arrived during the partition (Brewer's conjecture, Gilbert & Lynch 2002;
/// sloppy quorums: DeCandia et al., SOSP 2007 §4.6).
enum Partition {
    static let name = "partition"
    static let models = ["lnkd-ssd", "lnkd-disk", "ymmr", "wan"]
    struct Strategy { let name: String; let r: Int; let w: Int; let sloppy: Bool }
    static let strategies = [
        Strategy(name: "strict", r: 2, w: 2, sloppy: false),
        Strategy(name: "partial", r: 1, w: 1, sloppy: false),
        Strategy(name: "sloppy", r: 2, w: 2, sloppy: true),
    ]

    static func operations(_ scale: Scale) -> Int { QuorumRuns.partitionRunOperations(scale) }

    static let columns = Columns(
        Column("model", "latency preset"),
        Column("strategy", "strict, partial or sloppy"),
        Column("n", "replicas"), Column("r", "read quorum"), Column("w", "write quorum"),
        Column("operations", "operations issued"),
        Column("in_partition", "requests that arrived while the partition was in place"),
        Column("failed_fraction_in_partition", "of those, the fraction that timed out (unavailable)"),
        Column("stale_fraction_in_partition", "successful reads during the partition that were stale"),
        Column("failed_fraction", "requests that timed out over the whole run"),
        Column("stale_fraction", "stale successful reads over the whole run"),
        Column("read_p99_ms", "p99 latency of successful reads"),
        Column("write_p99_ms", "p99 latency of successful writes"),
        Column("messages_per_op", "messages sent per operation, hinted handoff included"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "availability against consistency during a partition: strict, partial (R=W=1) and sloppy quorums (simulated, N=3)",
        parameters: [
            Parameter("model", "latency preset") { _ in models },
            Parameter("strategy", "strict (R=W=2), partial (R=W=1), sloppy (R=W=2 + hinted handoff)") { _ in strategies.map(\.name) },
            Parameter("operations", "operations per run (50 % writes, zipfian keys, 1000 ops/s open loop)") { [String(operations($0))] },
        ],
        columns: columns,
        summaryColumns: ["model", "strategy", "failed_fraction_in_partition", "stale_fraction_in_partition", "failed_fraction", "stale_fraction"],
        steps: { _ in models.count * strategies.count },
        run: run)

    static func run(_ context: RunContext) throws -> [Row] {
        var rows: [Row] = []
        let ops = operations(context.scale)
        let window = QuorumRuns.middleHalfPartition(operations: ops)
        for model in models {
            let latency = try LatencyModelCatalog.bundled.model(named: model)
            for s in strategies {
                var rng = context.rng("\(name)/\(model)/\(s.name)")
                let quorum = QuorumConfiguration(n: 3, r: s.r, w: s.w, timeoutNanoseconds: QuorumRuns.timeoutNanoseconds, sloppyQuorum: s.sloppy)
                let setup = QuorumSimulation.Setup(nodeCount: QuorumRuns.nodeCount, quorum: quorum,
                                                   network: NetworkModel(model: latency, nodeCount: QuorumRuns.nodeCount, partitions: [window]))
                let result = QuorumSimulation(setup).run(QuorumRuns.workload(operations: ops, rng: &rng), seed: rng.next())
                rows.append(columns.row(model, s.name, "3", String(s.r), String(s.w), String(result.readsIssued + result.writesIssued),
                             String(result.issuedInPartition), Cell.fixed(result.failedFractionInPartition, 5),
                             Cell.fixed(result.staleFractionInPartition, 5), Cell.fixed(result.failedFraction, 5),
                             Cell.fixed(result.staleFraction, 5),
                             QuorumRuns.ms(result.reads.value(atPercentile: 99)), QuorumRuns.ms(result.writes.value(atPercentile: 99)),
                             Cell.fixed(result.messagesPerOperation, 2)))
                context.progress.advance("\(model) \(s.name)")
            }
        }
        return rows
    }
}
