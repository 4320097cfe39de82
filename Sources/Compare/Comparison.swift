import Lab

/// Benchstat-style comparison of two measurements of the same configuration
/// (after Go's `golang.org/x/perf/cmd/benchstat`).
///
/// The ratio is `new.median / old.median`. Its interval combines the two
/// medians' intervals: `[new.low / old.high, new.high / old.low]`. When
/// each input interval covers its median with 95 %, the ratio interval
/// covers the true ratio with at least 90 % (Bonferroni). If the interval
/// excludes 1 the difference is significant; otherwise the verdict is "no
/// significant difference" — the honest answer for two runs of the same code.
/// ``judged(_:)`` gives the verdict: by that interval, or by a rank test
/// when both sides kept their raw samples.
public struct Comparison: Sendable, Equatable {
    public enum Verdict: String, Sendable {
        case better, worse, noDifference = "~"
    }

    public let old: MeasuredValue
    public let new: MeasuredValue

    public var ratio: Double { new.median / old.median }
    public var ratioLow: Double { new.low / old.high }
    public var ratioHigh: Double { new.high / old.low }

    /// Pairs every value in `new` with the value in `old` that has the same
    /// key (restricted to `keyColumns` when given) and metric.
    public static func match(old: [MeasuredValue], new: [MeasuredValue], ignoring ignored: Set<String> = []) -> (pairs: [Comparison], unmatched: [MeasuredValue]) {
        func id(_ v: MeasuredValue) -> [String] {
            v.key.filter { !ignored.contains($0.key) }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + [v.metric]
        }
        var byID: [[String]: MeasuredValue] = [:]
        for v in old { byID[id(v)] = v }
        var pairs: [Comparison] = []
        var unmatched: [MeasuredValue] = []
        for v in new {
            if let o = byID[id(v)] { pairs.append(Comparison(old: o, new: v)) } else { unmatched.append(v) }
        }
        return (pairs, unmatched)
    }
}
