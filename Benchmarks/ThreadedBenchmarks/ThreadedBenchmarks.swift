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

    let history = overlappingHistory(rounds: 3_334, keys: 100)
    Benchmark("check-10k-op-history-100-keys", configuration: measured) { benchmark in
        let checker = LinearizabilityChecker()
        for _ in benchmark.scaledIterations { blackHole(try! checker.check(history).verdict) }
    }

    let edn = Array(HistoryFormat.edn.render(history).utf8)
    Benchmark("parse-10k-op-EDN-history", configuration: measured) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try! HistoryFormat.parse(edn).events.count) }
    }
}

/// Rounds of a write overlapping a read (which sees the old or the new value), then a read
/// of the new value: linearizable by construction, three operations per round.
func overlappingHistory(rounds: Int, keys: Int) -> History {
    var rng = Xoshiro256StarStar(seed: 11)
    var events: [HistoryEvent] = []
    var register: [Int64: Int64] = [:]
    for round in 0..<rounds {
        let key = Int64(rng.next() % UInt64(keys))
        let value = Int64(round + 1)
        let p = Int64(3 * round)
        events.append(HistoryEvent(type: .invoke, function: .write, process: p, key: key, value: value))
        events.append(HistoryEvent(type: .invoke, function: .read, process: p + 1, key: key))
        events.append(HistoryEvent(type: .ok, function: .read, process: p + 1, key: key, value: rng.next() % 2 == 0 ? register[key] : value))
        events.append(HistoryEvent(type: .ok, function: .write, process: p, key: key, value: value))
        register[key] = value
        events.append(HistoryEvent(type: .invoke, function: .read, process: p + 2, key: key))
        events.append(HistoryEvent(type: .ok, function: .read, process: p + 2, key: key, value: value))
    }
    return History(events: events)
}
