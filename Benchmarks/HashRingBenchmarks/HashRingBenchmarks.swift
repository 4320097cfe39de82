import Benchmark
import HashRing
import Hashing
import Foundation
import struct Stats.Xoshiro256StarStar

/// Ring lookup at 100 and 10 000 nodes for every variant: one iteration is
/// one lookup (key hash + node selection) over keys drawn before the loop.
/// The malloc threshold is absolute zero: a lookup must never allocate.
/// Names have no spaces: package-benchmark 1.38.1 writes static threshold
/// files with spaces replaced by `_` but looks them up with the spaces.
let benchmarks: @Sendable () -> Void = {
    let maxIterations = Int(ProcessInfo.processInfo.environment["BENCH_MAX_ITER"] ?? "") ?? 10_000
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: maxIterations,
        thresholds: [
            .mallocCountTotal: .init(absolute: [.p0: 0, .p25: 0, .p50: 0, .p75: 0, .p90: 0, .p99: 0, .p100: 0])
        ])

    var rng = Xoshiro256StarStar(seed: 2014)
    let keys = (0..<4096).map { _ in rng.next() }

    for nodeCount in [100, 10_000] {
        let names = (0..<nodeCount).map { "node-\($0)" }
        let ring = TokenRing(nodes: names, virtualNodes: 160)
        Benchmark("TokenRing-v160-lookup-n\(nodeCount)", configuration: configuration) { benchmark in
            lookups(ring, keys, benchmark)
        }
        let jump = JumpHash(nodeCount: nodeCount)
        Benchmark("Jump-lookup-n\(nodeCount)", configuration: configuration) { benchmark in
            lookups(jump, keys, benchmark)
        }
    }
}

@inline(__always)
func lookups<R: ConsistentHash>(_ ring: R, _ keys: [UInt64], _ benchmark: Benchmark) {
    let mask = keys.count - 1
    var i = 0
    for _ in benchmark.scaledIterations {
        blackHole(ring.node(for: keys[i & mask]))
        i &+= 1
    }
}
