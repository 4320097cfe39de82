import HashRing
import Lab
import Stats

/// `ring-build`: how long building each variant for a node set takes and
/// how many bytes its lookup structures hold. Samples are interleaved
/// across variants like `ring-lookup`'s.
enum RingBuild {
    static let name = "ring-build"

    static func nodeCounts(_ scale: Scale) -> [Int] {
        switch scale {
        case .quick: return [10, 100, 1_000]
        case .standard: return [10, 100, 1_000, 10_000]
        case .full: return [10, 100, 1_000, 10_000, 100_000]
        }
    }

    static let virtualNodeCounts = [16, 160]
    static func samples(_ scale: Scale) -> Int { scale == .quick ? 3 : 5 }

    static let columns = Columns(
        Column("algorithm", "placement variant"),
        Column("nodes", "number of nodes"),
        Column("virtual_nodes", "tokens per node for the rings; 0 where the variant has none"),
        Column("samples", "timed builds"),
        Column("build_ms_median", "median ms to build the variant from the list of node names"),
        Column("build_ms_min", "fastest build, ms"),
        Column("build_ms_max", "slowest build, ms"),
        Column("memory_bytes", "bytes of lookup structures after the build (0 for jump)"),
        Column("bytes_per_node", "memory_bytes divided by nodes"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "build time and lookup-structure bytes per variant against node count",
        parameters: RingVariants.commonParameters(nodes: nodeCounts, virtualNodes: virtualNodeCounts) + [
            Parameter("samples", "timed builds per configuration") { [String(samples($0))] },
        ],
        columns: columns,
        summaryColumns: ["algorithm", "nodes", "virtual_nodes", "build_ms_median", "memory_bytes", "bytes_per_node"],
        steps: { scale in nodeCounts(scale).count * samples(scale) },
        run: run)

    static func run(_ context: RunContext) throws -> [Row] {
        var rows: [Row] = []
        let sampleCount = samples(context.scale)
        for nodeCount in nodeCounts(context.scale) {
            let names = RingVariants.names(nodeCount)
            let candidates = RingVariants.candidates(virtualNodeCounts: virtualNodeCounts)
            var times = Array(repeating: [Double](), count: candidates.count)
            var memory = Array(repeating: 0, count: candidates.count)
            for round in 0..<sampleCount {
                for offset in 0..<candidates.count {
                    let i = (round + offset) % candidates.count
                    let start = monotonicNanoseconds()
                    let built = candidates[i].build(names)
                    let elapsed = monotonicNanoseconds() &- start
                    memory[i] = built.memoryBytes
                    times[i].append(Double(elapsed) / 1e6)
                }
                context.progress.advance("nodes=\(nodeCount) round \(round + 1)/\(sampleCount)")
            }
            for (i, candidate) in candidates.enumerated() {
                let s = Summary(times[i])
                rows.append(columns.row(
                    candidate.algorithm, String(nodeCount), String(candidate.virtualNodes), String(sampleCount),
                    Cell.fixed(s.median), Cell.fixed(s.min), Cell.fixed(s.max),
                    String(memory[i]), Cell.fixed(Double(memory[i]) / Double(nodeCount), 1),
                ))
            }
        }
        return rows
    }
}
