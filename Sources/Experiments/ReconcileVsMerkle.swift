import Lab
import Merkle
import Stats

/// `reconcile-vs-merkle`: bytes, round trips and time of IBLT set
/// reconciliation with a strata estimator (Eppstein et al., SIGCOMM 2011)
/// against Merkle diffs (XOR tree, xxHash64 digests) of several shapes,
/// against the number of differing keys d. Each trial draws a new
/// divergence; the trials are the timing samples and the IBLT's
/// decode-failure count is over them.
///
/// The IBLT time includes building both sides' estimators and tables from
/// all n items (the table size depends on d); the Merkle time is the
/// exchange alone over trees kept up to date incrementally.
enum ReconcileVsMerkle {
    static let name = "reconcile-vs-merkle"

    static func keyCount(_ scale: Scale) -> Int { scale == .quick ? 10_000 : 100_000 }
    static func differences(_ scale: Scale) -> [Int] {
        scale == .quick ? [1, 10, 100, 1_000] : [1, 10, 100, 1_000, 10_000]
    }
    static func trials(_ scale: Scale) -> Int { scale == .quick ? 3 : 10 }
    static let shapes = [TreeShape(fanout: 16, depth: 3), TreeShape.cassandra, TreeShape(fanout: 16, depth: 4), TreeShape.riak]

    static let columns = Columns(
        Column("method", "iblt, or merkle-<fanout>^<depth> (XOR tree, xxHash64)"),
        Column("keys", "items in replica A"),
        Column("differing_keys", "keys changed between the replicas (a re-versioned key is 2 IBLT items)"),
        Column("trials", "divergences drawn; each is one timing sample"),
        Column("time_us_median", "median µs per reconciliation"),
        Column("time_us_min", "fastest trial"),
        Column("time_us_max", "slowest trial"),
        Column("bytes_total_median", "median bytes both ways, items streamed included"),
        Column("round_trips_median", "median request/answer pairs"),
        Column("keys_streamed_median", "median items streamed both ways"),
        Column("decode_failures", "IBLT tables that failed to decode, over all trials (each costs one more round trip); 0 for merkle"),
        Column("estimate_median", "median strata-estimator estimate of the difference (items); 0 for merkle"),
        Column("best_merkle", "1 on the Merkle shape with the fewest median bytes at this d, else 0"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "IBLT set reconciliation vs Merkle diff: bytes, round trips, time against differing keys",
        parameters: [
            Parameter("method", "iblt, or merkle with a tree shape") { _ in ["iblt"] + shapes.map { "merkle-\($0)" } },
            Parameter("keys", "items in replica A") { [String(keyCount($0))] },
            Parameter("differing_keys", "keys changed between the replicas") { differences($0).map(String.init) },
            Parameter("trials", "divergences drawn per point (timing samples)") { [String(trials($0))] },
        ],
        columns: columns,
        summaryColumns: ["method", "differing_keys", "time_us_median", "bytes_total_median", "round_trips_median", "decode_failures"],
        steps: { scale in differences(scale).count * trials(scale) },
        run: run)

    static func run(_ context: RunContext) throws -> [Row] {
        var rows: [Row] = []
        let n = keyCount(context.scale)
        let trialCount = trials(context.scale)
        var rng = context.rng("\(name)/items")
        let a = MerkleReplicas.items(n, rng: &rng)
        let storesA = shapes.map { LeafIndex(shape: $0, items: a) }
        let treesA = shapes.map { XORMerkleTree<XXH64Hash>(shape: $0, items: a) }
        for d in differences(context.scale) {
            // Per method: times, bytes, round trips, keys streamed.
            let methods = 1 + shapes.count
            var time = Array(repeating: [Double](), count: methods)
            var bytes = Array(repeating: [Double](), count: methods)
            var trips = Array(repeating: [Double](), count: methods)
            var streamed = Array(repeating: [Double](), count: methods)
            var estimates: [Double] = []
            var failures = 0
            for trial in 0..<trialCount {
                var changeRng = context.rng("\(name)/changes/\(d)/\(trial)")
                let (b, changes) = MerkleReplicas.diverge(a, by: d, rng: &changeRng)
                var start = monotonicNanoseconds()
                let iblt = IBLTReconciliation.run(initiator: a, responder: b)
                time[0].append(Double(monotonicNanoseconds() &- start) / 1e3)
                guard iblt.succeeded else { throw MerkleReplicas.CheckFailed("\(name): IBLT gave up at d = \(d)") }
                bytes[0].append(Double(iblt.bytesTotal))
                trips[0].append(Double(iblt.roundTrips))
                streamed[0].append(Double(iblt.keysStreamed))
                estimates.append(Double(iblt.estimate))
                failures += iblt.decodeFailures
                for (s, shape) in shapes.enumerated() {
                    let storeB = LeafIndex(shape: shape, items: b)
                    var treeB = treesA[s]
                    for change in changes { treeB.update(key: change.key, from: change.old, to: change.new) }
                    start = monotonicNanoseconds()
                    let report = MerkleDiff.run(initiator: (treesA[s], storesA[s]), responder: (treeB, storeB))
                    time[s + 1].append(Double(monotonicNanoseconds() &- start) / 1e3)
                    guard report.differingKeys == d else { throw MerkleReplicas.CheckFailed("\(name): Merkle diff found \(report.differingKeys) of \(d)") }
                    bytes[s + 1].append(Double(report.bytesTotal))
                    trips[s + 1].append(Double(report.roundTrips))
                    streamed[s + 1].append(Double(report.keysStreamed))
                }
                context.progress.advance("d=\(d) trial \(trial + 1)/\(trialCount)")
            }
            let merkleBytes = (1..<methods).map { Summary(bytes[$0]).median }
            let best = 1 + merkleBytes.indices.min { merkleBytes[$0] < merkleBytes[$1] }!
            for m in 0..<methods {
                let t = Summary(time[m])
                let method = m == 0 ? "iblt" : "merkle-\(shapes[m - 1])"
                let estimate = m == 0 ? Summary(estimates).median : 0
                rows.append(columns.row(
                    method, String(n), String(d), String(trialCount),
                    Cell.fixed(t.median, 1), Cell.fixed(t.min, 1), Cell.fixed(t.max, 1),
                    Cell.fixed(Summary(bytes[m]).median, 0), Cell.fixed(Summary(trips[m]).median, 1), Cell.fixed(Summary(streamed[m]).median, 0),
                    String(m == 0 ? failures : 0), Cell.fixed(estimate, 0), m == best ? "1" : "0"))
            }
        }
        return rows
    }
}
