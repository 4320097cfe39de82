import Lab
import Quorum
import Simulation
import Stats

/// `versioning`: what last-writer-wins costs, and what vector clocks with
/// siblings cost instead (DeCandia et al., SOSP 2007 §4.4; dotted version
/// vector sets: Preguiça et al., arXiv:1011.5808). N = 3 on 6 nodes, the
/// `pacelc` workload (50 % writes, zipfian keys, 1000 ops/s), node clocks
/// off by up to ±skew. Clients put with the context their earlier reads of
/// the key returned (`last-read`), or read the key right before every write
/// (`get-then-put`, Dynamo's update pattern). For R = W = 1 and R = W = 2, on a healthy
/// cluster and with nodes 0 and 1 cut off for the middle half of the run
/// (sloppy quorum, so both sides keep writing): acknowledged writes the
/// cluster dropped unseen, siblings handed to readers, stale reads.
enum VersioningExperiment {
    static let name = "versioning"
    static let skewsMs: [Double] = [0, 1, 10, 100]
    static let quorums = [1, 2]
    static let conditions = ["healthy", "partitioned"]
    static let puts = ["last-read", "get-then-put"]
    static let model = "lnkd-ssd"

    static func operations(_ scale: Scale) -> Int { QuorumRuns.partitionRunOperations(scale) }

    static let columns = Columns(
        Column("versioning", "lww or vector-clocks"),
        Column("clock_skew_ms", "maximum clock error per node, ms"),
        Column("n", "replicas"), Column("r", "read quorum"), Column("w", "write quorum"),
        Column("condition", "healthy or partitioned"),
        Column("put", "last-read or get-then-put"),
        Column("operations", "operations issued"),
        Column("writes_completed", "writes acknowledged to their client"),
        Column("lost_write_fraction", "acknowledged writes dropped without anyone having seen them, per acknowledged write"),
        Column("siblings_per_read", "values returned per successful read that found the key (1 with LWW)"),
        Column("siblings_max", "most values one read returned"),
        Column("reads_with_siblings_fraction", "of the successful reads that found the key, those that returned more than one value"),
        Column("stale_fraction", "successful reads that missed a write completed before they began"),
        Column("monotonic_read_violations", "reads that missed something their client's earlier read saw"),
        Column("read_your_writes_violations", "reads that missed their client's own last completed write"),
        Column("failed_fraction", "requests that timed out"),
        Column("read_p99_ms", "p99 latency of successful reads"),
        Column("write_p99_ms", "p99 latency of successful writes"),
        Column("messages_per_op", "messages sent per operation"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "LWW against vector clocks with siblings: lost acknowledged writes, siblings per read and staleness against clock skew (simulated, N=3)",
        parameters: [
            Parameter("versioning", "lww, or vector-clocks (DVV sets with siblings)") { _ in Versioning.allCases.map(\.rawValue) },
            Parameter("clock_skew_ms", "each node's clock is off by a uniform draw in ±this") { _ in skewsMs.map { Cell.fixed($0, 0) } },
            Parameter("r=w", "read and write quorum") { _ in quorums.map(String.init) },
            Parameter("condition", "healthy, or partitioned (nodes 0 and 1 cut off for the middle half; sloppy quorum)") { _ in conditions },
            Parameter("put", "last-read (context from the client's earlier reads) or get-then-put (a read right before every write)") { _ in puts },
            Parameter("operations", "operations per run (lnkd-ssd, 50 % writes, zipfian keys, 1000 ops/s open loop)") { [String(operations($0))] },
        ],
        columns: columns,
        summaryColumns: ["versioning", "clock_skew_ms", "r", "condition", "put", "lost_write_fraction", "siblings_per_read", "stale_fraction"],
        steps: { _ in grid.count },
        run: run)

    /// One row of the grid.
    struct Point {
        let put: String
        let condition: String
        let quorum: Int
        let skewMs: Double
        let versioning: Versioning
    }

    /// The grid in CSV order; both versionings of a point are adjacent.
    static var grid: [Point] {
        puts.flatMap { put in
            conditions.flatMap { condition in
                quorums.flatMap { q in
                    skewsMs.flatMap { skew in Versioning.allCases.map { Point(put: put, condition: condition, quorum: q, skewMs: skew, versioning: $0) } }
                }
            }
        }
    }

    static func run(_ context: RunContext) throws -> [Row] {
        let ops = operations(context.scale)
        let latency = try LatencyModelCatalog.bundled.model(named: model)
        let window = QuorumRuns.middleHalfPartition(operations: ops)
        return grid.map { p in
            // The same seed for both versionings: the same arrivals, keys and clock errors.
            var rng = context.rng("\(name)/\(p.condition)/\(p.quorum)/\(p.skewMs)" + (p.put == "last-read" ? "" : "/\(p.put)"))
            var quorum = QuorumConfiguration(n: 3, r: p.quorum, w: p.quorum, timeoutNanoseconds: QuorumRuns.timeoutNanoseconds,
                                             sloppyQuorum: p.condition == "partitioned")
            quorum.versioning = p.versioning
            let network = NetworkModel(model: latency, nodeCount: QuorumRuns.nodeCount, partitions: p.condition == "partitioned" ? [window] : [])
            var setup = QuorumSimulation.Setup(nodeCount: QuorumRuns.nodeCount, quorum: quorum, network: network, maxClockSkewMs: p.skewMs)
            setup.readBeforeWrite = p.put == "get-then-put"
            let result = QuorumSimulation(setup).run(QuorumRuns.workload(operations: ops, rng: &rng), seed: rng.next())
            context.progress.advance("\(p.versioning.rawValue) skew \(Cell.fixed(p.skewMs, 0)) ms R=W=\(p.quorum) \(p.condition) \(p.put)")
            return columns.row(
                p.versioning.rawValue, Cell.fixed(p.skewMs, 0), "3", String(p.quorum), String(p.quorum), p.condition, p.put,
                String(result.readsIssued + result.writesIssued), String(result.writesIssued - result.writesFailed),
                Cell.fixed(result.lostWriteFraction, 5), Cell.fixed(result.siblingsPerRead, 4), String(result.siblingsMax),
                Cell.fixed(result.siblingReadFraction, 5), Cell.fixed(result.staleFraction, 5),
                String(result.monotonicReadViolations), String(result.readYourWritesViolations),
                Cell.fixed(result.failedFraction, 5),
                QuorumRuns.ms(result.reads.value(atPercentile: 99)), QuorumRuns.ms(result.writes.value(atPercentile: 99)),
                Cell.fixed(result.messagesPerOperation, 2))
        }
    }
}
