import Histogram

/// A latency recorder: HdrHistogram (Gil Tene's High Dynamic Range
/// Histogram) with three significant digits, in nanoseconds.
///
/// Record into one per thread and ``merge(_:)`` at the end; recording is a
/// few nanoseconds and allocates nothing once the histogram exists.
/// ``recordCorrected(_:expectedInterval:)`` is HdrHistogram's
/// coordinated-omission correction for closed-loop load generators.
public struct LatencyHistogram: Sendable {
    public private(set) var histogram: Histogram<UInt64>

    /// A histogram covering 1 ns to `highestTrackableNanoseconds` (default 1 hour).
    public init(highestTrackableNanoseconds: UInt64 = 3_600_000_000_000) {
        histogram = Histogram(highestTrackableValue: highestTrackableNanoseconds, numberOfSignificantValueDigits: .three)
        histogram.autoResize = true
    }

    @inlinable
    public var count: UInt64 { histogram.totalCount }

    public mutating func record(nanoseconds: UInt64) {
        _ = histogram.record(Swift.max(nanoseconds, 1))
    }

    /// Records `nanoseconds` and, when it exceeds `expectedInterval`, the
    /// samples a stalled closed-loop client failed to issue.
    public mutating func recordCorrected(_ nanoseconds: UInt64, expectedInterval: UInt64) {
        _ = histogram.recordCorrectedValue(Swift.max(nanoseconds, 1), expectedInterval: expectedInterval)
    }

    public mutating func merge(_ other: LatencyHistogram) {
        histogram.add(other.histogram)
    }

    /// The value at `percentile` (0…100), in nanoseconds.
    public func value(atPercentile percentile: Double) -> UInt64 {
        histogram.valueAtPercentile(percentile)
    }

    public var max: UInt64 { histogram.max }
    public var min: UInt64 { histogram.min }
    public var mean: Double { histogram.mean }

    /// p50, p90, p99, p99.9 and max in nanoseconds: the set every latency report in the lab prints.
    public var standardPercentiles: (p50: UInt64, p90: UInt64, p99: UInt64, p999: UInt64, max: UInt64) {
        (value(atPercentile: 50), value(atPercentile: 90), value(atPercentile: 99), value(atPercentile: 99.9), max)
    }
}
