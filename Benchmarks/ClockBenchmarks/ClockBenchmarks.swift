import Benchmark
import BenchmarkSupport
import Clocks
import Foundation
import struct Stats.Xoshiro256StarStar

/// Merge and compare for the dense, sparse and dictionary clocks at n = 8
/// and 1 024 entries, reported per 1 000 operations (`scalingFactor: .kilo`)
/// on a pair drawn before the loop: `b` is `a` with 10 % of its counters
/// redrawn and 10 % of its nodes replaced by nodes `a` has not seen. Merges
/// go into a clock that already covers the union (the steady state of a
/// replica), so the dense and sparse merges and compares carry an absolute
/// zero-malloc threshold; the dictionary is reported, not held to it.
/// Names have no spaces (`dense-merge-n8`): package-benchmark 1.38.1 looks
/// static threshold files up by the name as given.
let benchmarks: @Sendable () -> Void = {
    func configuration(mustNotAllocate: Bool) -> Benchmark.Configuration {
        LabBenchmark.configuration(mallocsPerIteration: mustNotAllocate ? 0 : nil)
    }

    for n in [8, 1_024] {
        let (a, b) = pair(entries: n, seed: UInt64(n))
        register(DenseClock.self, a, b, n, configuration(mustNotAllocate: true))
        register(SparseClock.self, a, b, n, configuration(mustNotAllocate: true))
        register(DictionaryClock.self, a, b, n, configuration(mustNotAllocate: false))
    }
}

func pair(entries n: Int, seed: UInt64) -> ([(node: NodeID, counter: UInt64)], [(node: NodeID, counter: UInt64)]) {
    var rng = Xoshiro256StarStar(seed: seed)
    let a = (0..<n).map { (node: NodeID($0), counter: 1 &+ rng.next() % 1_000_000) }
    var b = a
    let changed = Swift.max(1, n / 10)
    for k in 0..<changed {
        let i = Int(rng.next() % UInt64(n))
        if k % 2 == 0 {
            b[i].counter = 1 &+ rng.next() % 1_000_000
        } else {
            b[i] = (NodeID(n + k), 1 &+ rng.next() % 1_000_000)
        }
    }
    // Keep node ids unique after replacements.
    var seen = Set<NodeID>()
    b = b.filter { seen.insert($0.node).inserted }.sorted { $0.node < $1.node }
    return (a, b)
}

func register<C: CausalClock>(_: C.Type, _ aEntries: [(node: NodeID, counter: UInt64)], _ bEntries: [(node: NodeID, counter: UInt64)], _ n: Int, _ configuration: Benchmark.Configuration) {
    let a = C(entries: aEntries)
    let b = C(entries: bEntries)
    Benchmark("\(C.representation)-merge-n\(n)", configuration: configuration) { benchmark in
        var target = a.merged(b)  // covers the union: later merges fit in place
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            target.merge(b)
        }
        benchmark.stopMeasurement()
        blackHole(target)
    }
    let later = a.merged(b)
    Benchmark("\(C.representation)-compare-n\(n)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(a.compare(later))
        }
    }
}
