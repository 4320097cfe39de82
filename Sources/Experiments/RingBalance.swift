import Foundation
import HashRing
import Hashing
import Lab
import Stats

/// `ring-balance`: how evenly each variant spreads keys. For each node count
/// every variant maps the same seeded key stream; the row reports the
/// busiest node against the mean, the coefficient of variation of the
/// loads (with the value uniform random placement would give, for
/// comparison) and, against each node's target share (equal, or its weight
/// for the weighted variants), the largest relative error.
///
/// Multi-probe places one point per node, so its balance depends on where
/// those n points fall: its rows also give the spread of the CV over
/// several placements (the node names salted), to tell a weak hash from an
/// unlucky draw.
enum RingBalance {
    static let name = "ring-balance"

    static func nodeCounts(_ scale: Scale) -> [Int] {
        switch scale {
        case .quick: return [10, 100]
        case .standard: return [10, 100, 1_000, 10_000]
        case .full: return [10, 100, 1_000, 10_000, 100_000]
        }
    }

    static let virtualNodeCounts = [1, 16, 160]
    /// Node placements the multi-probe spread covers: the standard names and
    /// as many salted sets ("p1/node-0", …).
    static let multiProbePlacements = 5
    static func keyCount(_ scale: Scale) -> Int { scale == .quick ? 1 << 16 : 1 << 20 }

    /// Rendezvous costs O(n) per key: above 256 nodes it maps fewer keys (`keys` says how many).
    static func keys(for candidate: RingVariants.Candidate, nodes: Int, keyCount: Int) -> Int {
        RingVariants.keysWithinBudget(candidate, nodes: nodes, keyCount: keyCount, nodeVisits: 1 << 28, atLeast: 1 << 14)
    }

    static let columns = Columns(
        Column("algorithm", "placement variant"),
        Column("nodes", "number of nodes"),
        Column("virtual_nodes", "tokens per node for the rings; 0 where the variant has none"),
        Column("weighted", "1 when nodes have target weights 1, 2 or 3; 0 for equal weights"),
        Column("keys", "keys mapped"),
        Column("max_over_mean", "keys on the busiest node divided by the mean per node"),
        Column("load_cv", "coefficient of variation of keys per node (s.d. / mean)"),
        Column("ideal_cv", "coefficient of variation uniform random placement of this many keys would give: √((n−1)/keys)"),
        Column("weight_error_max", "largest |share / target share − 1| over nodes"),
        Column("placements", "multi-probe: node placements (name sets) the CV spread covers; 1 for the others"),
        Column("load_cv_placement_min", "multi-probe: smallest load_cv over those placements (same keys); empty otherwise"),
        Column("load_cv_placement_median", "multi-probe: median load_cv over the placements"),
        Column("load_cv_placement_max", "multi-probe: largest load_cv over the placements"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "max/mean load, coefficient of variation and weight error per variant against node count",
        parameters: RingVariants.commonParameters(nodes: nodeCounts, virtualNodes: virtualNodeCounts) + [
            Parameter("keys", "keys mapped per configuration (fewer for rendezvous above 256 nodes)") { [String(keyCount($0))] },
        ],
        columns: columns,
        summaryColumns: ["algorithm", "nodes", "virtual_nodes", "weighted", "max_over_mean", "load_cv", "ideal_cv", "weight_error_max"],
        pointwise: true,
        steps: { scale in nodeCounts(scale).count * RingVariants.candidates(virtualNodeCounts: virtualNodeCounts, weighted: true).count },
        run: run)

    static func run(_ context: RunContext) throws -> [Row] {
        var rows: [Row] = []
        for nodeCount in nodeCounts(context.scale) {
            rows += try context.point("nodes=\(nodeCount)") {
                var rows: [Row] = []
                var rng = context.rng("\(name)/keys/\(nodeCount)")
                let hashes = (0..<keyCount(context.scale)).map { _ in XXHash64.hash(rng.next()) }
                let names = RingVariants.names(nodeCount)
                for candidate in RingVariants.candidates(virtualNodeCounts: virtualNodeCounts, weighted: true) {
                    let count = keys(for: candidate, nodes: nodeCount, keyCount: hashes.count)
                    let assignment = candidate.build(names).assign(Array(hashes.prefix(count)))
                    var loads = [Int](repeating: 0, count: nodeCount)
                    for node in assignment { loads[Int(node)] += 1 }
                    let targets = candidate.weighted
                        ? names.map { Double(RingVariants.weight($0)) } : Array(repeating: 1.0, count: nodeCount)
                    let stats = statistics(loads: loads, targets: targets)
                    var spread = ["1", "", "", ""]
                    if candidate.algorithm == "multi-probe" {
                        let cvs = [stats.cv] + (1..<multiProbePlacements).map { salt in
                            var saltedLoads = [Int](repeating: 0, count: nodeCount)
                            for node in candidate.build(names.map { "p\(salt)/\($0)" }).assign(Array(hashes.prefix(count))) {
                                saltedLoads[Int(node)] += 1
                            }
                            return statistics(loads: saltedLoads, targets: targets).cv
                        }
                        let summary = Summary(cvs)
                        spread = [String(cvs.count), Cell.fixed(summary.min, 4), Cell.fixed(summary.median, 4), Cell.fixed(summary.max, 4)]
                    }
                    rows.append(columns.row(
                        candidate.algorithm, String(nodeCount), String(candidate.virtualNodes), candidate.weighted ? "1" : "0",
                        String(count), Cell.fixed(stats.maxOverMean, 4), Cell.fixed(stats.cv, 4),
                        Cell.fixed((Double(nodeCount - 1) / Double(count)).squareRoot(), 4),
                        Cell.fixed(stats.weightError, 4),
                        spread[0], spread[1], spread[2], spread[3]
                    ))
                    context.progress.advance("nodes=\(nodeCount) \(candidate.algorithm)")
                }
                return rows
            }
        }
        return rows
    }

    /// Max/mean, coefficient of variation and largest relative error against target shares.
    static func statistics(loads: [Int], targets: [Double]) -> (maxOverMean: Double, cv: Double, weightError: Double) {
        let total = Double(loads.reduce(0, +))
        let mean = total / Double(loads.count)
        let variance = loads.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(loads.count)
        let targetTotal = targets.reduce(0, +)
        var error = 0.0
        for (load, target) in zip(loads, targets) {
            error = max(error, abs((Double(load) / total) / (target / targetTotal) - 1))
        }
        return (Double(loads.max() ?? 0) / mean, variance.squareRoot() / mean, error)
    }
}
