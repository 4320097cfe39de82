import Foundation
import Lab

/// How often `caplab compare` cries wolf, and how often it catches a real
/// slowdown, on this machine: given K result files of the same experiment
/// from unchanged code, every pair (i < j) is compared as an A/A test
/// (any significant verdict is a false alarm), and again with the second
/// run's samples and medians made 5 % and 10 % worse (times × 1.05,
/// rates ÷ 1.05) as an A/B test (a "slower" verdict is a detection). The
/// slowdown is injected into real runs, so the noise it must be told from
/// is the machine's own.
public enum CompareCalibration {
    public struct Line: Sendable {
        public let method: String
        public let policy: ComparisonPolicy
        public let comparisons: Int
        public let falseAlarms: Int
        /// Detections by injected slowdown (0.05, 0.10).
        public let detections: [(slowdown: Double, detected: Int)]
    }

    public static let slowdowns = [0.05, 0.10]

    /// The policies reported: the rank test at two confidence levels, with
    /// and without a minimum effect, and the interval method (what compare
    /// did before samples were kept).
    public static let policies: [(rankTest: Bool, policy: ComparisonPolicy)] = [
        (true, ComparisonPolicy(confidence: 0.95, minEffect: 0)),
        (true, ComparisonPolicy(confidence: 0.99, minEffect: 0)),
        (true, ComparisonPolicy(confidence: 0.95, minEffect: 0.05)),
        (true, ComparisonPolicy(confidence: 0.99, minEffect: 0.05)),
        (true, ComparisonPolicy(confidence: 0.99, minEffect: 0.10)),
        (false, ComparisonPolicy(confidence: 0.95, minEffect: 0)),
        (false, ComparisonPolicy(confidence: 0.95, minEffect: 0.05)),
    ]

    public static func run(files: [String]) throws -> [Line] {
        guard files.count >= 2 else {
            throw LabError.badInput(file: files.first ?? "-", line: nil, problem: "calibration needs at least two result files of unchanged code")
        }
        let runs = try files.map { try ResultFile.read(URL(fileURLWithPath: $0)) }
        return policies.map { rankTest, policy in
            var comparisons = 0, falseAlarms = 0
            var detected = slowdowns.map { _ in 0 }
            for i in runs.indices {
                for j in runs.indices where j > i {
                    let old = rankTest ? runs[i] : runs[i].map(withoutSamples)
                    let new = rankTest ? runs[j] : runs[j].map(withoutSamples)
                    let pairs = Comparison.match(old: old, new: new).pairs
                    comparisons += pairs.count
                    falseAlarms += pairs.filter { $0.judged(policy).verdict != .noDifference }.count
                    for (k, s) in slowdowns.enumerated() {
                        let slowed = pairs.map { Comparison(old: $0.old, new: worsened($0.new, by: s)) }
                        detected[k] += slowed.filter { $0.judged(policy).verdict == .worse }.count
                    }
                }
            }
            return Line(method: rankTest ? "mann-whitney" : "intervals", policy: policy, comparisons: comparisons,
                        falseAlarms: falseAlarms, detections: Array(zip(slowdowns, detected)))
        }
    }

    static func withoutSamples(_ v: MeasuredValue) -> MeasuredValue {
        MeasuredValue(key: v.key, metric: v.metric, median: v.median, low: v.low, high: v.high)
    }

    /// `v` made worse by `fraction`: times and sizes grow, rates shrink.
    static func worsened(_ v: MeasuredValue, by fraction: Double) -> MeasuredValue {
        let f = v.lowerIsBetter ? 1 + fraction : 1 / (1 + fraction)
        return MeasuredValue(key: v.key, metric: v.metric, median: v.median * f, low: v.low * f, high: v.high * f, samples: v.samples?.map { $0 * f })
    }

    public static func table(_ lines: [Line]) -> CSVTable {
        var table = CSVTable(columns: ["method", "confidence", "min_effect", "comparisons", "aa_false_alarms", "aa_false_alarm_rate"]
            + slowdowns.map { "detected_\(Int($0 * 100))pct" })
        for line in lines {
            let rate = line.comparisons > 0 ? Double(line.falseAlarms) / Double(line.comparisons) : 0
            table.append([line.method, Cell.fixed(line.policy.confidence, 2), Cell.fixed(line.policy.minEffect * 100, 0) + "%",
                          String(line.comparisons), String(line.falseAlarms), Cell.fixed(rate * 100, 1) + "%"]
                + line.detections.map { Cell.fixed(line.comparisons > 0 ? Double($0.detected) / Double(line.comparisons) * 100 : 0, 1) + "%" })
        }
        return table
    }
}
