import Benchmark
import Foundation

/// The configuration every CAPLab micro-benchmark shares: wall clock,
/// throughput and malloc counts, at most 2 s per benchmark, and an
/// iteration cap that CI lowers with `BENCH_MAX_ITER` (the malloc check
/// needs only a few iterations; counts are exact).
///
/// `mallocsPerIteration` is the allocation count every percentile must
/// equal (0 for an operation that must never allocate); nil reports
/// mallocs without holding them to a threshold. The thresholds are built
/// here, inside the caller's benchmark closure, because
/// `BenchmarkThresholds` is not Sendable.
public enum LabBenchmark {
    public static func configuration(
        scaling: BenchmarkScalingFactor = .kilo, mallocsPerIteration: Int? = nil, maxIterations defaultMax: Int = 10_000
    ) -> Benchmark.Configuration {
        let maxIterations = Int(ProcessInfo.processInfo.environment["BENCH_MAX_ITER"] ?? "") ?? defaultMax
        var thresholds: [BenchmarkMetric: BenchmarkThresholds] = [:]
        if let m = mallocsPerIteration {
            thresholds[.mallocCountTotal] = .init(absolute: [.p0: m, .p25: m, .p50: m, .p75: m, .p90: m, .p99: m, .p100: m])
        }
        return .init(
            metrics: [.wallClock, .throughput, .mallocCountTotal],
            scalingFactor: scaling,
            maxDuration: .seconds(2),
            maxIterations: maxIterations,
            thresholds: thresholds)
    }
}
