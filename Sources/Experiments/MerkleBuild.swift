import Lab
import Merkle
import Stats

/// `merkle-build`: time and memory to build a Merkle tree from scratch
/// against key count, per variant, on the Cassandra preset (binary, depth
/// 15), with the same hash's throughput measured in the same run as the limit.
///
/// The limit is the hash work a variant cannot avoid, done alone: one hash
/// call over all 16·n item bytes for the rebuilt trees (bulk throughput),
/// n calls on 16-byte items for the XOR trees. `of_limit` = limit ÷ build
/// time, so 1.0 means the build costs no more than its hashing.
enum MerkleBuild {
    static let name = "merkle-build"
    static let shape = TreeShape.cassandra

    struct Variant {
        let name: String
        let build: ([Item]) -> (ns: Double, treeBytes: Int, indexBytes: Int)
        let limit: ([Item]) -> Double
    }

    static func keyCounts(_ scale: Scale) -> [Int] {
        switch scale {
        case .quick: return [1_000, 10_000]
        case .standard: return [1_000, 10_000, 100_000, 1_000_000]
        case .full: return [1_000, 10_000, 100_000, 1_000_000, 10_000_000]
        }
    }

    /// Fewer samples at 10^7 keys (`--full`), where one SHA-256 XOR build takes seconds.
    static func samples(_ scale: Scale, keys: Int) -> Int { scale == .quick || keys >= 10_000_000 ? 3 : 5 }

    static let columns = Columns(
        Column("variant", "tree scheme and hash"),
        Column("fanout", "children per inner node"),
        Column("depth", "levels below the root"),
        Column("keys", "items in the replica"),
        Column("samples", "timed builds"),
        Column("build_ns_per_key_median", "median build time per key"),
        Column("build_ns_per_key_min", "fastest build per key"),
        Column("build_ns_per_key_max", "slowest build per key"),
        Column("build_ms_median", "median build time of the whole tree"),
        Column("hash_limit_ns_per_key_median", "median time per key of the unavoidable hashing alone"),
        Column("of_limit", "hash limit ÷ build time (1 = build costs only its hashing)"),
        Column("tree_bytes", "bytes of node digests"),
        Column("index_bytes", "bytes of the sorted item index the variant keeps (0 for XOR trees)"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "ns per key to build a Merkle tree (rebuilt / XOR, SHA-256 / xxHash64) against key count, × of hash limit",
        parameters: [
            Parameter("variant", "tree scheme and hash") { _ in variants.map(\.name) },
            Parameter("keys", "items in the replica") { keyCounts($0).map(String.init) },
            Parameter("shape", "tree shape (fanout^depth)") { _ in [shape.description] },
            Parameter("samples", "timed builds per configuration (3 from 10^7 keys)") { [String(samples($0, keys: 1))] },
        ],
        columns: columns,
        summaryColumns: ["variant", "keys", "build_ns_per_key_median", "hash_limit_ns_per_key_median", "of_limit", "tree_bytes"],
        steps: { scale in keyCounts(scale).reduce(0) { $0 + samples(scale, keys: $1) } },
        run: run)

    static var variants: [Variant] { [
        rebuilt(SHA256Hash.self), rebuilt(XXH64Hash.self), xor(SHA256Hash.self), xor(XXH64Hash.self),
    ] }

    static func rebuilt<H: MerkleHashFunction>(_: H.Type) -> Variant {
        Variant(
            name: RebuiltMerkleTree<H>.variantName,
            build: { items in
                let start = monotonicNanoseconds()
                let tree = RebuiltMerkleTree<H>(shape: shape, items: items)
                let ns = Double(monotonicNanoseconds() &- start)
                blackHole(tree.root)
                return (ns, tree.memoryBytes, tree.index.memoryBytes)
            },
            limit: { items in
                items.withUnsafeBytes { raw in
                    let start = monotonicNanoseconds()
                    let digest = H.hash(raw)
                    let ns = Double(monotonicNanoseconds() &- start)
                    blackHole(digest)
                    return ns
                }
            })
    }

    static func xor<H: MerkleHashFunction>(_: H.Type) -> Variant {
        Variant(
            name: XORMerkleTree<H>.variantName,
            build: { items in
                let start = monotonicNanoseconds()
                let tree = XORMerkleTree<H>(shape: shape, items: items)
                let ns = Double(monotonicNanoseconds() &- start)
                blackHole(tree.root)
                return (ns, tree.memoryBytes, 0)
            },
            limit: { items in
                let start = monotonicNanoseconds()
                let digest = hashEach(H.self, items)
                let ns = Double(monotonicNanoseconds() &- start)
                blackHole(digest)
                return ns
            })
    }

    @inline(never)
    static func hashEach<H: MerkleHashFunction>(_: H.Type, _ items: [Item]) -> H.Digest {
        var acc = H.Digest.zero
        items.withUnsafeBufferPointer { items in
            for item in items { acc = acc ^ H.hash(key: item.key, version: item.version) }
        }
        return acc
    }

    static func run(_ context: RunContext) throws -> [Row] {
        var rows: [Row] = []
        for keys in keyCounts(context.scale) {
            let sampleCount = samples(context.scale, keys: keys)
            var rng = context.rng("\(name)/items/\(keys)")
            let items = MerkleReplicas.items(keys, rng: &rng)
            var build = Array(repeating: [Double](), count: variants.count)
            var limit = Array(repeating: [Double](), count: variants.count)
            var bytes = Array(repeating: (0, 0), count: variants.count)
            for round in 0..<sampleCount {
                for offset in 0..<variants.count {
                    let i = (round + offset) % variants.count
                    let b = variants[i].build(items)
                    build[i].append(b.ns / Double(keys))
                    bytes[i] = (b.treeBytes, b.indexBytes)
                    limit[i].append(variants[i].limit(items) / Double(keys))
                }
                context.progress.advance("keys=\(keys) round \(round + 1)/\(sampleCount)")
            }
            for (i, variant) in variants.enumerated() {
                let b = Summary(build[i]), l = Summary(limit[i])
                rows.append(columns.row(
                    variant.name, String(shape.fanout), String(shape.depth), String(keys), String(sampleCount),
                    Cell.fixed(b.median, 1), Cell.fixed(b.min, 1), Cell.fixed(b.max, 1),
                    Cell.fixed(b.median * Double(keys) / 1e6, 3),
                    Cell.fixed(l.median, 1), Cell.fixed(l.median / b.median, 3),
                    String(bytes[i].0), String(bytes[i].1),
                ))
            }
        }
        return rows
    }
}
