import Foundation
import Lab

/// How `caplab compare` decides, for CI: a difference counts when it is
/// significant at the chosen confidence **and** at least `minEffect` in
/// size, so a real but negligible shift (or a shared machine's drift
/// between two runs) does not fail a build.
public struct ComparisonPolicy: Sendable, Equatable {
    /// 0.95 tests at α = 0.05.
    public var confidence: Double
    /// The smallest relative change of the median that counts (0.05 for 5 %).
    public var minEffect: Double

    public init(confidence: Double = 0.95, minEffect: Double = 0) {
        self.confidence = confidence
        self.minEffect = minEffect
    }
}

/// A comparison's verdict under a ``ComparisonPolicy``, and how it was reached.
public struct Judgement: Sendable, Equatable {
    public enum Method: Sendable, Equatable {
        /// Both sides had raw samples: a two-sided Mann–Whitney U test.
        case mannWhitney(MannWhitney, oldCount: Int, newCount: Int)
        /// Medians and 95 % intervals only (no samples file): the ratio interval.
        case intervals
    }

    public let verdict: Comparison.Verdict
    public let method: Method

    /// The p-value of the rank test, when there was one.
    public var p: Double? {
        if case .mannWhitney(let test, _, _) = method { return test.p }
        return nil
    }
}

extension Comparison {
    public func judged(_ policy: ComparisonPolicy) -> Judgement {
        let method: Judgement.Method
        let significant: Bool
        if let a = old.samples, let b = new.samples, a.count >= 2, b.count >= 2 {
            let test = MannWhitney(b, a)
            method = .mannWhitney(test, oldCount: a.count, newCount: b.count)
            significant = test.p < 1 - policy.confidence
        } else {
            method = .intervals
            significant = ratioLow > 1 || ratioHigh < 1
        }
        // Equal medians give no direction, whatever the rank test says.
        guard significant, ratio != 1, abs(ratio - 1) >= policy.minEffect else { return Judgement(verdict: .noDifference, method: method) }
        let higher = ratio > 1
        return Judgement(verdict: higher == new.lowerIsBetter ? .worse : .better, method: method)
    }

    /// The word for a verdict: faster/slower for times, higher/lower otherwise.
    public func text(for verdict: Verdict) -> String {
        switch verdict {
        case .noDifference: return "~"
        case .better, .worse:
            if new.isTime { return ratio < 1 ? "faster" : "slower" }
            return ratio < 1 ? "lower" : "higher"
        }
    }
}
