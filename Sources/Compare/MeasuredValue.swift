import Lab

/// One measured quantity of one configuration: its median and an interval
/// for the median, as read from a result file, and its raw samples when
/// they were kept beside it.
public struct MeasuredValue: Sendable, Equatable {
    /// The configuration: (column, value) pairs that identify the row.
    public let key: [String: String]
    /// The metric's name without its statistic suffix (`lookup_ns`).
    public let metric: String
    public let median: Double
    public let low: Double
    public let high: Double
    /// The raw samples the median summarises, when a samples sidecar kept them.
    public var samples: [Double]?

    public init(key: [String: String], metric: String, median: Double, low: Double, high: Double, samples: [Double]? = nil) {
        self.key = key
        self.metric = metric
        self.median = median
        self.low = low
        self.high = high
        self.samples = samples
    }

    /// Whether the metric is a rate: CAPLab names rates `<what>_s` ("per
    /// second": `throughput_ops_s`, `entries_s`, `mb_s`), durations
    /// `_ns`/`_us`/`_ms`; package-benchmark names its rate `Throughput…`.
    public var isRate: Bool {
        if metric.lowercased().contains("throughput") { return true }
        return metric.hasSuffix("_s") && !["_ns", "_us", "_ms"].contains { metric.hasSuffix($0) }
    }

    /// Whether a smaller value is better: true for times, sizes and counts; false for rates.
    public var lowerIsBetter: Bool { !isRate }

    /// Whether the metric is a duration (`_ns`, `_us`, `_ms`, package-benchmark's `Time…`).
    public var isTime: Bool {
        ["_ns", "_us", "_ms"].contains { metric.hasSuffix($0) } || metric.hasPrefix("Time")
    }
}
