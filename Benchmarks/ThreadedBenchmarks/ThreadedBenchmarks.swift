import Benchmark
import BenchmarkSupport
import Consistency
import Foundation
import struct Stats.Xoshiro256StarStar

/// The threaded area's offline costs: checking a 10 000-operation register
/// history for linearizability, and reading one from Jepsen EDN. (The
/// runtime itself is measured by the `linearizability`, `pacelc-threaded`
/// and `allocator` experiments: its costs are scheduling, not code.)
let benchmarks: @Sendable () -> Void = {
    let measured = LabBenchmark.configuration(scaling: .one, maxIterations: 1_000)

    var rng = Xoshiro256StarStar(seed: 11)
    let history = History.overlappingWrites(rounds: 3_334, keys: 100, using: &rng)
    Benchmark("check-10k-op-history-100-keys", configuration: measured) { benchmark in
        let checker = LinearizabilityChecker()
        for _ in benchmark.scaledIterations { blackHole(try! checker.check(history).verdict) }
    }

    let edn = Array(HistoryFormat.edn.render(history).utf8)
    Benchmark("parse-10k-op-EDN-history", configuration: measured) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try! HistoryFormat.parse(edn).events.count) }
    }
}
