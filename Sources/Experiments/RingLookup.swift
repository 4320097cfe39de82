import HashRing
import Hashing
import Lab
import Stats

/// `ring-lookup`: what one consistent-hash lookup costs, per variant, as the
/// node count grows.
///
/// For each node count, every variant is built once and then measured in
/// interleaved rounds (variant A, B, C, … then again), so a burst of noise
/// on the shared machine hits all variants alike. One sample is one pass over
/// a seeded stream of keys. Two costs are timed: `lookup` hashes the raw
/// 64-bit key with xxHash64 and selects the node; `select` starts from
/// precomputed key hashes, so `lookup − select` is the key-hash cost.
enum RingLookup {
    static let name = "ring-lookup"

    static func nodeCounts(_ scale: Scale) -> [Int] {
        switch scale {
        case .quick: return [10, 100, 1_000]
        case .standard: return [10, 100, 1_000, 10_000]
        case .full: return [10, 100, 1_000, 10_000, 100_000]
        }
    }

    static let virtualNodeCounts = [1, 16, 160]

    static func keyCount(_ scale: Scale) -> Int { scale == .quick ? 1 << 13 : 1 << 18 }
    static func samples(_ scale: Scale) -> Int { scale == .quick ? 5 : 11 }

    static var algorithms: [String] {
        var seen: [String] = []
        for c in RingVariants.candidates(virtualNodeCounts: [1]) where !seen.contains(c.algorithm) { seen.append(c.algorithm) }
        return seen
    }

    static let columns = Columns(
        Column("algorithm", "placement variant (token-ring, ketama, jump, rendezvous, maglev, multi-probe, bounded-load, anchor)"),
        Column("nodes", "number of nodes"),
        Column("virtual_nodes", "tokens per node for token-ring, ketama and bounded-load; 0 where the variant has none"),
        Column("keys", "keys looked up per sample"),
        Column("samples", "timed passes over the keys"),
        Column("lookup_ns_median", "median ns per lookup, key hash + node selection", timing: true),
        Column("lookup_ns_min", "fastest sample, ns per lookup", timing: true),
        Column("lookup_ns_max", "slowest sample, ns per lookup", timing: true),
        Column("lookup_ns_ci_low", "95 % confidence interval for the median, low end", timing: true),
        Column("lookup_ns_ci_high", "95 % confidence interval for the median, high end", timing: true),
        Column("select_ns_median", "median ns per node selection from a precomputed key hash", timing: true),
        Column("select_ns_min", "fastest sample of node selection", timing: true),
        Column("select_ns_max", "slowest sample of node selection", timing: true),
        Column("memory_bytes", "bytes of lookup structures (0 for jump)"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "ns per consistent-hash lookup (key hash + node selection) per variant against node count",
        parameters: [
            Parameter("algorithm", "placement variant") { _ in algorithms },
            Parameter("nodes", "node count") { nodeCounts($0).map(String.init) },
            Parameter("virtual_nodes", "tokens per node (token-ring; ketama 160, bounded-load 16)") { _ in virtualNodeCounts.map(String.init) },
            Parameter("keys", "keys per sample, from the seeded stream") { [String(keyCount($0))] },
            Parameter("samples", "timed passes per configuration") { [String(samples($0))] },
        ],
        columns: columns,
        summaryColumns: ["algorithm", "nodes", "virtual_nodes", "lookup_ns_median", "lookup_ns_min", "lookup_ns_max", "select_ns_median"],
        pointwise: true,
        steps: { scale in nodeCounts(scale).count * samples(scale) },
        run: run)

    static func run(_ context: RunContext) throws -> [Row] {
        var rows: [Row] = []
        let sampleCount = samples(context.scale)
        for nodeCount in nodeCounts(context.scale) {
            rows += try context.point("nodes=\(nodeCount)") {
                var rows: [Row] = []
                var rng = context.rng("\(name)/keys/\(nodeCount)")
                let keys = (0..<keyCount(context.scale)).map { _ in rng.next() }
                let hashes = keys.map { XXHash64.hash($0) }
                let candidates = RingVariants.candidates(virtualNodeCounts: virtualNodeCounts)
                let names = RingVariants.names(nodeCount)
                let variants = candidates.map { $0.build(names) }
                let counts = candidates.map { RingVariants.keysPerSample($0, nodes: nodeCount, keyCount: keys.count) }
                let keySets = counts.map { Array(keys.prefix($0)) }
                let hashSets = counts.map { Array(hashes.prefix($0)) }
                var lookup = Array(repeating: [Double](), count: variants.count)
                var select = Array(repeating: [Double](), count: variants.count)
                // Warm-up pass: page in tables and keys before timing.
                for (i, variant) in variants.enumerated() { _ = variant.measureSelect(hashSets[i]) }
                for round in 0..<sampleCount {
                    // Rotate the starting variant each round so none is always first after a pause.
                    for offset in 0..<variants.count {
                        let i = (round + offset) % variants.count
                        lookup[i].append(variants[i].measureLookup(keySets[i]))
                        select[i].append(variants[i].measureSelect(hashSets[i]))
                    }
                    context.progress.advance("nodes=\(nodeCount) round \(round + 1)/\(sampleCount)")
                }
                for (i, variant) in variants.enumerated() {
                    let l = Summary(lookup[i])
                    let s = Summary(select[i])
                    rows.append(columns.row(
                        candidates[i].algorithm, String(nodeCount), String(candidates[i].virtualNodes),
                        String(counts[i]), String(sampleCount),
                        Cell.fixed(l.median), Cell.fixed(l.min), Cell.fixed(l.max), Cell.fixed(l.ciLow), Cell.fixed(l.ciHigh),
                        Cell.fixed(s.median), Cell.fixed(s.min), Cell.fixed(s.max),
                        String(variant.memoryBytes),
                    ))
                }
                return rows
            }
        }
        return rows
    }
}
