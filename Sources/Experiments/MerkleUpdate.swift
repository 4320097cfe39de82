import Lab
import Merkle
import Stats

/// `merkle-update`: what one incremental update costs against a full
/// rebuild, per variant and shape. An update sets a new version on an
/// existing key: the XOR tree XORs `h(old) ^ h(new)` up the path; the rebuilt
/// tree re-hashes the key's leaf and every ancestor (Riak's dirty segment).
enum MerkleUpdate {
    static let name = "merkle-update"
    static let batch = 1_000

    struct Variant {
        let name: String
        /// ns per update over `batch` updates, and ns for one full rebuild.
        let measure: ([Item], TreeShape, [UInt64]) -> (update: Double, rebuild: Double)
    }

    static func shapes(_ scale: Scale) -> [TreeShape] {
        scale == .quick ? [.cassandra, TreeShape(fanout: 16, depth: 3)]
            : [.cassandra, TreeShape(fanout: 16, depth: 4), TreeShape(fanout: 256, depth: 2), .riak]
    }

    static func keyCount(_ scale: Scale) -> Int {
        switch scale {
        case .quick: return 10_000
        case .standard: return 100_000
        case .full: return 1_000_000
        }
    }

    static func samples(_ scale: Scale) -> Int { scale == .quick ? 3 : 5 }

    static let columns = Columns(
        Column("variant", "tree scheme and hash"),
        Column("fanout", "children per inner node"),
        Column("depth", "levels below the root"),
        Column("leaves", "leaf ranges (fanout^depth)"),
        Column("keys", "items in the replica"),
        Column("samples", "timed samples"),
        Column("update_ns_median", "median ns per incremental update (new version of an existing key)"),
        Column("update_ns_min", "fastest sample, ns per update"),
        Column("update_ns_max", "slowest sample, ns per update"),
        Column("rebuild_ms_median", "median ms for a full rebuild from all items"),
        Column("rebuild_ms_min", "fastest rebuild"),
        Column("rebuild_ms_max", "slowest rebuild"),
        Column("rebuild_per_update", "rebuild time ÷ update time: updates one rebuild pays for"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "ns per incremental Merkle update against a full rebuild, per variant and shape",
        parameters: [
            Parameter("variant", "tree scheme and hash") { _ in variants.map(\.name) },
            Parameter("shape", "fanout^depth") { shapes($0).map(\.description) },
            Parameter("keys", "items in the replica") { [String(keyCount($0))] },
            Parameter("batch", "updates timed together per sample") { _ in [String(batch)] },
            Parameter("samples", "timed samples per configuration") { [String(samples($0))] },
        ],
        columns: columns,
        summaryColumns: ["variant", "fanout", "depth", "update_ns_median", "rebuild_ms_median", "rebuild_per_update"],
        steps: { scale in shapes(scale).count * samples(scale) },
        run: run)

    static var variants: [Variant] { [
        rebuilt(SHA256Hash.self), rebuilt(XXH64Hash.self), xor(SHA256Hash.self), xor(XXH64Hash.self),
    ] }

    static func rebuilt<H: MerkleHashFunction>(_: H.Type) -> Variant {
        Variant(name: RebuiltMerkleTree<H>.variantName) { items, shape, keys in
            var start = monotonicNanoseconds()
            var tree = RebuiltMerkleTree<H>(shape: shape, items: items)
            let rebuild = Double(monotonicNanoseconds() &- start)
            start = monotonicNanoseconds()
            setVersions(&tree, keys)
            let update = Double(monotonicNanoseconds() &- start) / Double(keys.count)
            blackHole(tree.root)
            return (update, rebuild)
        }
    }

    static func xor<H: MerkleHashFunction>(_: H.Type) -> Variant {
        Variant(name: XORMerkleTree<H>.variantName) { items, shape, keys in
            var start = monotonicNanoseconds()
            var tree = XORMerkleTree<H>(shape: shape, items: items)
            let rebuild = Double(monotonicNanoseconds() &- start)
            start = monotonicNanoseconds()
            updateVersions(&tree, keys)
            let update = Double(monotonicNanoseconds() &- start) / Double(keys.count)
            blackHole(tree.root)
            return (update, rebuild)
        }
    }

    @inline(never)
    static func setVersions<H: MerkleHashFunction>(_ tree: inout RebuiltMerkleTree<H>, _ keys: [UInt64]) {
        for (i, key) in keys.enumerated() { tree.set(key: key, version: UInt64(i)) }
    }

    /// The old versions are not tracked here: XOR-ing h(key, i) in and
    /// h(key, i + 1) out is the same work as a real old → new update.
    @inline(never)
    static func updateVersions<H: MerkleHashFunction>(_ tree: inout XORMerkleTree<H>, _ keys: [UInt64]) {
        for (i, key) in keys.enumerated() { tree.update(key: key, from: UInt64(i), to: UInt64(i &+ 1)) }
    }

    static func run(_ context: RunContext) throws -> [Row] {
        var rows: [Row] = []
        let sampleCount = samples(context.scale)
        let n = keyCount(context.scale)
        var rng = context.rng("\(name)/items")
        let items = MerkleReplicas.items(n, rng: &rng)
        let updateKeys = (0..<batch).map { _ in items[Int(rng.next() % UInt64(n))].key }
        for shape in shapes(context.scale) {
            var update = Array(repeating: [Double](), count: variants.count)
            var rebuild = Array(repeating: [Double](), count: variants.count)
            for round in 0..<sampleCount {
                for offset in 0..<variants.count {
                    let i = (round + offset) % variants.count
                    let m = variants[i].measure(items, shape, updateKeys)
                    update[i].append(m.update)
                    rebuild[i].append(m.rebuild / 1e6)
                }
                context.progress.advance("shape=\(shape) round \(round + 1)/\(sampleCount)")
            }
            for (i, variant) in variants.enumerated() {
                let u = Summary(update[i]), r = Summary(rebuild[i])
                rows.append(columns.row(
                    variant.name, String(shape.fanout), String(shape.depth), String(shape.leafCount), String(n), String(sampleCount),
                    Cell.fixed(u.median, 1), Cell.fixed(u.min, 1), Cell.fixed(u.max, 1),
                    Cell.fixed(r.median), Cell.fixed(r.min), Cell.fixed(r.max),
                    Cell.fixed(r.median * 1e6 / u.median, 0),
                ))
            }
        }
        return rows
    }
}
