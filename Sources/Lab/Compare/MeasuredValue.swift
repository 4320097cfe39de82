/// One measured quantity of one configuration: its median and an interval
/// for the median, as read from a result file.
public struct MeasuredValue: Sendable, Equatable {
    /// The configuration: (column, value) pairs that identify the row.
    public let key: [String: String]
    /// The metric's name without its statistic suffix (`lookup_ns`).
    public let metric: String
    public let median: Double
    public let low: Double
    public let high: Double

    public init(key: [String: String], metric: String, median: Double, low: Double, high: Double) {
        self.key = key
        self.metric = metric
        self.median = median
        self.low = low
        self.high = high
    }

    /// Whether a smaller value is better: true for times, sizes and counts;
    /// false for rates (`_ops_s`, throughput).
    public var lowerIsBetter: Bool {
        !(metric.hasSuffix("_ops_s") || metric.lowercased().contains("throughput"))
    }

    /// Whether the metric is a duration (`_ns`, `_us`, `_ms`, `_s`, package-benchmark's `Time…`).
    public var isTime: Bool {
        if metric.hasSuffix("_ops_s") { return false }
        return ["_ns", "_us", "_ms", "_s"].contains { metric.hasSuffix($0) } || metric.hasPrefix("Time")
    }
}
