import Lab
import Merkle
import Stats

/// `merkle-diff`: what one anti-entropy diff costs between two replicas that
/// differ in d keys, per digest hash and tree shape: time, round trips, bytes
/// each way, nodes compared, and keys streamed per truly differing key.
///
/// Replica A is drawn once per key count; B = A with d keys changed (a third
/// removed, a third re-versioned, a third added). A's tree is built once
/// per shape; B's XOR tree is A's plus the d incremental updates, B's
/// rebuilt tree is built from B's items. One sample is one complete message
/// exchange; the variants alternate round by round.
enum MerkleDiffExperiment {
    static let name = "merkle-diff"

    struct Variant {
        let name: String
        /// Builds replica A's tree for a shape once; given replica B's
        /// changes and store, builds B's tree and returns a timed diff.
        let prepare: (TreeShape, [Item], LeafIndex) -> ([MerkleReplicas.Change], LeafIndex) -> () -> (ns: Double, report: DiffReport)
    }

    static func keyCounts(_ scale: Scale) -> [Int] {
        switch scale {
        case .quick: return [10_000]
        case .standard: return [10_000, 100_000, 1_000_000]
        case .full: return [10_000, 100_000, 1_000_000, 10_000_000]
        }
    }

    /// Differing keys: one key, then 0.1 %, 1 % and 10 % of the keys.
    static func divergences(keys: Int) -> [Int] { [1, keys / 1_000, keys / 100, keys / 10] }

    static func shapes(_ scale: Scale) -> [TreeShape] {
        switch scale {
        case .quick: return [TreeShape(fanout: 16, depth: 3), .cassandra, .riak]
        case .standard:
            return [TreeShape(fanout: 16, depth: 3), .cassandra, TreeShape(fanout: 16, depth: 4), TreeShape(fanout: 256, depth: 2), .riak]
        case .full:
            return [
                TreeShape(fanout: 16, depth: 3), .cassandra, TreeShape(fanout: 4, depth: 8),
                TreeShape(fanout: 16, depth: 4), TreeShape(fanout: 256, depth: 2), .riak,
            ]
        }
    }

    /// Fewer samples at 10^7 keys (`--full`), where one diff at 10 % moves millions of items.
    static func samples(_ scale: Scale, keys: Int) -> Int { scale == .quick || keys >= 10_000_000 ? 3 : 5 }

    static let columns = Columns(
        Column("variant", "tree scheme and digest hash"),
        Column("fanout", "children per inner node"),
        Column("depth", "levels below the root"),
        Column("leaves", "leaf ranges"),
        Column("keys", "items in replica A"),
        Column("differing_keys", "keys whose (key, version) differs between the replicas"),
        Column("divergence_pct", "differing keys as a percentage of keys"),
        Column("samples", "timed diffs"),
        Column("diff_us_median", "median µs for the whole exchange, items of differing ranges included"),
        Column("diff_us_min", "fastest diff"),
        Column("diff_us_max", "slowest diff"),
        Column("round_trips", "request/answer pairs"),
        Column("bytes_to_responder", "bytes the initiator sends"),
        Column("bytes_to_initiator", "bytes the responder sends"),
        Column("bytes_total", "bytes both ways"),
        Column("nodes_compared", "digests compared by the responder"),
        Column("differing_leaves", "leaf ranges found to differ"),
        Column("keys_streamed", "items sent both ways for the differing ranges"),
        Column("overstream_factor", "keys streamed per truly differing key, both directions counted"),
        Column("overstream_factor_per_side", "overstream_factor / 2: keys one replica sends per differing key (Cassandra's convention)"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "Merkle diff cost (time, round trips, bytes, over-streaming) against divergence, per hash and shape",
        parameters: [
            Parameter("variant", "tree scheme and digest hash") { _ in variants.map(\.name) },
            Parameter("shape", "fanout^depth") { shapes($0).map(\.description) },
            Parameter("keys", "items in replica A") { keyCounts($0).map(String.init) },
            Parameter("differing_keys", "1, 0.1 %, 1 %, 10 % of the keys") { _ in ["1", "keys/1000", "keys/100", "keys/10"] },
            Parameter("samples", "timed diffs per configuration (3 from 10^7 keys)") { [String(samples($0, keys: 1))] },
        ],
        columns: columns,
        summaryColumns: ["variant", "fanout", "depth", "keys", "differing_keys", "diff_us_median", "round_trips", "bytes_total", "overstream_factor"],
        steps: { scale in keyCounts(scale).count * 4 * shapes(scale).count },
        run: run)

    static var variants: [Variant] {
        [xor(XXH64Hash.self), xor(SHA256Hash.self), rebuilt(XXH64Hash.self), rebuilt(SHA256Hash.self)]
    }

    /// A rebuilt (Riak-style) tree: replica B's tree is built from B's items,
    /// as a rebuilt tree is after the writes that made B diverge.
    static func rebuilt<H: MerkleHashFunction>(_: H.Type) -> Variant {
        Variant(name: RebuiltMerkleTree<H>.variantName) { shape, a, storeA in
            let treeA = RebuiltMerkleTree<H>(shape: shape, items: a)
            return { _, storeB in
                let treeB = RebuiltMerkleTree<H>(shape: shape, items: storeB.items)
                return {
                    let start = monotonicNanoseconds()
                    let report = MerkleDiff.run(initiator: (treeA, storeA), responder: (treeB, storeB))
                    let ns = Double(monotonicNanoseconds() &- start)
                    blackHole(report)
                    return (ns, report)
                }
            }
        }
    }

    static func xor<H: MerkleHashFunction>(_: H.Type) -> Variant {
        Variant(name: XORMerkleTree<H>.variantName) { shape, a, storeA in
            let treeA = XORMerkleTree<H>(shape: shape, items: a)
            return { changes, storeB in
                var treeB = treeA
                for change in changes { treeB.update(key: change.key, from: change.old, to: change.new) }
                return {
                    let start = monotonicNanoseconds()
                    let report = MerkleDiff.run(initiator: (treeA, storeA), responder: (treeB, storeB))
                    let ns = Double(monotonicNanoseconds() &- start)
                    blackHole(report)
                    return (ns, report)
                }
            }
        }
    }

    static func run(_ context: RunContext) throws -> [Row] {
        var rows: [Row] = []
        for keys in keyCounts(context.scale) {
            let sampleCount = samples(context.scale, keys: keys)
            var rng = context.rng("\(name)/items/\(keys)")
            let a = MerkleReplicas.items(keys, rng: &rng)
            let replicasB = divergences(keys: keys).map { d in
                var changeRng = context.rng("\(name)/changes/\(keys)/\(d)")
                return (d: d, replica: MerkleReplicas.diverge(a, by: d, rng: &changeRng))
            }
            for shape in shapes(context.scale) {
                let storeA = LeafIndex(shape: shape, items: a)
                let treesA = variants.map { $0.prepare(shape, a, storeA) }
                for (d, replica) in replicasB {
                    let storeB = LeafIndex(shape: shape, items: replica.items)
                    let runs = treesA.map { $0(replica.changes, storeB) }
                    var times = Array(repeating: [Double](), count: variants.count)
                    var reports = Array(repeating: DiffReport(), count: variants.count)
                    for round in 0..<sampleCount {
                        for offset in 0..<variants.count {
                            let i = (round + offset) % variants.count
                            let (ns, report) = runs[i]()
                            times[i].append(ns / 1e3)
                            reports[i] = report
                        }
                    }
                    for (i, variant) in variants.enumerated() {
                        let t = Summary(times[i]), r = reports[i]
                        guard r.differingKeys == d else {
                            throw MerkleReplicas.CheckFailed("\(name): diff found \(r.differingKeys) differing keys, expected \(d)")
                        }
                        rows.append(columns.row(
                            variant.name, String(shape.fanout), String(shape.depth), String(shape.leafCount),
                            String(keys), String(d), Cell.fixed(100 * Double(d) / Double(keys), 4), String(sampleCount),
                            Cell.fixed(t.median, 1), Cell.fixed(t.min, 1), Cell.fixed(t.max, 1),
                            String(r.roundTrips), String(r.bytesInitiatorToResponder), String(r.bytesResponderToInitiator),
                            String(r.bytesTotal), String(r.nodesCompared), String(r.differingLeaves.count),
                            String(r.keysStreamed), Cell.fixed(Double(r.keysStreamed) / Double(d), 2),
                            Cell.fixed(Double(r.keysStreamed) / Double(2 * d), 2)))
                    }
                    context.progress.advance("keys=\(keys) shape=\(shape) d=\(d)")
                }
            }
        }
        return rows
    }
}
