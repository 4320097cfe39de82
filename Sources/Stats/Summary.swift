import Foundation

/// Repeated measurements of one quantity, reduced to what a reader may trust:
/// the median, the range, and a distribution-free 95 % confidence interval
/// for the median.
///
/// The interval uses order statistics: with n independent samples, the
/// median lies between the k-th smallest and k-th largest sample with
/// probability 1 − 2·P(Binomial(n, ½) < k). `k` is the largest rank that
/// keeps that probability at or above 95 % (Hollander & Wolfe,
/// *Nonparametric Statistical Methods*, §3.6). With fewer than 6 samples no
/// such rank exists and the interval is the whole range, which then covers
/// the median with probability 1 − 2^(1−n); ``confidence`` says which.
///
/// - Complexity: O(n log n) to build (one sort).
public struct Summary: Sendable, Equatable, Codable {
    public let count: Int
    public let median: Double
    public let min: Double
    public let max: Double
    public let mean: Double
    /// Lower and upper bound of the confidence interval for the median.
    public let ciLow: Double
    public let ciHigh: Double
    /// The coverage the interval actually has (≥ 0.95 when count ≥ 6).
    public let confidence: Double

    public init(_ samples: [Double]) {
        precondition(!samples.isEmpty, "a summary needs at least one sample")
        SampleRecorder.record(samples)
        let sorted = samples.sorted()
        let n = sorted.count
        count = n
        min = sorted[0]
        max = sorted[n - 1]
        mean = sorted.reduce(0, +) / Double(n)
        median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        let (k, coverage) = Summary.medianRank(sampleCount: n, level: 0.95)
        ciLow = sorted[k - 1]
        ciHigh = sorted[n - k]
        confidence = coverage
    }

    /// The 1-based rank k such that [x(k), x(n−k+1)] is the narrowest
    /// order-statistic interval covering the median with at least `level`
    /// probability, and the coverage it has. Falls back to k = 1 (the range).
    public static func medianRank(sampleCount n: Int, level: Double) -> (rank: Int, coverage: Double) {
        // P(B < k) for B ~ Binomial(n, 1/2), accumulated in log space so large n does not overflow.
        var best = (rank: 1, coverage: 1 - 2 * binomialHalfCDF(below: 1, n: n))
        var k = 2
        while k <= (n + 1) / 2 {
            let coverage = 1 - 2 * binomialHalfCDF(below: k, n: n)
            if coverage < level { break }
            best = (k, coverage)
            k += 1
        }
        return best
    }

    /// P(B < k) for B ~ Binomial(n, 1/2).
    static func binomialHalfCDF(below k: Int, n: Int) -> Double {
        var total = 0.0
        for i in 0..<k {
            total += exp(logChoose(n, i) - Double(n) * M_LN2)
        }
        return total
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}
