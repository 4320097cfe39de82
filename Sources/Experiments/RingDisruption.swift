import HashRing
import Hashing
import Lab
import Stats

/// `ring-disruption`: the keys that move when one node leaves (a random
/// one, not only the last) and when one node joins, as a fraction of all
/// keys, against the ideal (the leaving node's keys, 1/n; the joining node's
/// fair share, 1/(n+1)). It also counts keys that moved between two nodes
/// present both before and after: zero for a monotone scheme.
///
/// Each variant learns of the change its usual way: rebuilt from the new
/// list of names, except AnchorHash, which removes and adds buckets in place.
/// Jump can only drop the last bucket, so a middle node leaving renumbers
/// every node after it: removing node r moves about (n − r)/n of the keys.
/// One drawn node is therefore one draw from a wide spread; the row also
/// reports the mean over evenly spaced removed nodes (≈ 1/2 for Jump) and
/// the removal of the last node (1/n for Jump, its only cheap case).
enum RingDisruption {
    static let name = "ring-disruption"

    static func nodeCounts(_ scale: Scale) -> [Int] {
        switch scale {
        case .quick: return [10, 100]
        case .standard: return [10, 100, 1_000]
        case .full: return [10, 100, 1_000, 10_000]
        }
    }

    static let virtualNodeCounts = [16, 160]
    static func keyCount(_ scale: Scale) -> Int { scale == .quick ? 1 << 15 : 1 << 18 }
    /// Removed nodes the mean is taken over: `min(n, 8)` ordinals spread evenly
    /// (the middle of each of 8 equal slices), so the mean stands for all n.
    static func removalOrdinals(nodes: Int) -> [Int] {
        let k = min(nodes, 8)
        return (0..<k).map { (2 * $0 + 1) * nodes / (2 * k) }
    }

    static func keys(for candidate: RingVariants.Candidate, nodes: Int, keyCount: Int) -> Int {
        RingVariants.keysWithinBudget(candidate, nodes: nodes, keyCount: keyCount, nodeVisits: 1 << 26, atLeast: 1 << 14)
    }

    static let columns = Columns(
        Column("algorithm", "placement variant"),
        Column("nodes", "number of nodes"),
        Column("virtual_nodes", "tokens per node for the rings; 0 where the variant has none"),
        Column("keys", "keys mapped before and after"),
        Column("removed_node", "ordinal of the node removed (drawn from the seed)"),
        Column("remove_moved_fraction", "fraction of keys whose node changed when the node was removed"),
        Column("remove_ideal_fraction", "the removed node's fair share, 1/n"),
        Column("remove_between_survivors", "keys that moved from one surviving node to another (0 = monotone)"),
        Column("add_moved_fraction", "fraction of keys whose node changed when one node was added"),
        Column("add_ideal_fraction", "the new node's fair share, 1/(n+1)"),
        Column("add_between_survivors", "keys that moved between two existing nodes instead of to the new one"),
        Column("monotone", "yes when both between-survivors counts are 0"),
        Column("remove_moved_fraction_mean", "remove_moved_fraction averaged over min(n, 8) evenly spaced removed nodes"),
        Column("remove_moved_fraction_min", "smallest remove_moved_fraction over those removed nodes"),
        Column("remove_moved_fraction_max", "largest remove_moved_fraction over those removed nodes"),
        Column("remove_last_moved_fraction", "remove_moved_fraction when the last node (ordinal n − 1) is removed"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "fraction of keys moved when a random node leaves and when one joins, against 1/n, and monotonicity",
        parameters: RingVariants.commonParameters(nodes: nodeCounts, virtualNodes: virtualNodeCounts) + [
            Parameter("keys", "keys mapped (fewer for rendezvous at 1 000 nodes)") { [String(keyCount($0))] },
        ],
        columns: columns,
        summaryColumns: ["algorithm", "nodes", "virtual_nodes", "remove_moved_fraction_mean", "remove_last_moved_fraction", "remove_ideal_fraction",
                         "remove_between_survivors", "add_moved_fraction", "add_between_survivors"],
        pointwise: true,
        steps: { scale in nodeCounts(scale).count * RingVariants.candidates(virtualNodeCounts: virtualNodeCounts).count },
        run: run)

    static func run(_ context: RunContext) throws -> [Row] {
        var rows: [Row] = []
        for nodeCount in nodeCounts(context.scale) {
            rows += try context.point("nodes=\(nodeCount)") {
                var rows: [Row] = []
                var rng = context.rng("\(name)/keys/\(nodeCount)")
                let hashes = (0..<keyCount(context.scale)).map { _ in XXHash64.hash(rng.next()) }
                var pick = context.rng("\(name)/removed/\(nodeCount)")
                let removed = Int(pick.next() % UInt64(nodeCount))
                let names = RingVariants.names(nodeCount)
                for candidate in RingVariants.candidates(virtualNodeCounts: virtualNodeCounts) {
                    let keys = Array(hashes.prefix(Self.keys(for: candidate, nodes: nodeCount, keyCount: hashes.count)))
                    let built = candidate.build(names)
                    let before = built.assign(keys)
                    let afterRemove = built.removing(removed).assign(keys)
                    let afterAdd = built.adding().assign(keys)
                    let removal = compare(before, afterRemove, changed: Int32(removed), joining: false)
                    let spread = Summary(removalOrdinals(nodes: nodeCount).map { r in
                        Double(compare(before, built.removing(r).assign(keys), changed: Int32(r), joining: false).moved) / Double(keys.count)
                    })
                    let last = compare(before, built.removing(nodeCount - 1).assign(keys), changed: Int32(nodeCount - 1), joining: false)
                    let addition = compare(before, afterAdd, changed: Int32(nodeCount), joining: true)
                    rows.append(columns.row(
                        candidate.algorithm, String(nodeCount), String(candidate.virtualNodes), String(keys.count),
                        String(removed),
                        Cell.fixed(Double(removal.moved) / Double(keys.count), 5), Cell.fixed(1 / Double(nodeCount), 5),
                        String(removal.between),
                        Cell.fixed(Double(addition.moved) / Double(keys.count), 5), Cell.fixed(1 / Double(nodeCount + 1), 5),
                        String(addition.between),
                        removal.between == 0 && addition.between == 0 ? "yes" : "no",
                        Cell.fixed(spread.mean, 5), Cell.fixed(spread.min, 5), Cell.fixed(spread.max, 5),
                        Cell.fixed(Double(last.moved) / Double(keys.count), 5),
                    ))
                    context.progress.advance("nodes=\(nodeCount) \(candidate.algorithm)")
                }
                return rows
            }
        }
        return rows
    }

    /// Keys that changed node, and of those the ones that moved between two
    /// nodes that exist on both sides (for a removal: neither end is the
    /// removed node; for an addition: the destination is not the new node).
    static func compare(_ before: [Int32], _ after: [Int32], changed: Int32, joining: Bool) -> (moved: Int, between: Int) {
        var moved = 0, between = 0
        for (a, b) in zip(before, after) where a != b {
            moved += 1
            if joining ? b != changed : a != changed { between += 1 }
        }
        return (moved, between)
    }
}
