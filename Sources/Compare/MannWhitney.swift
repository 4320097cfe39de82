import Foundation
import Lab

/// The Mann–Whitney U test (Wilcoxon rank-sum): do two samples come from
/// the same distribution, or does one tend to be larger? It uses ranks
/// only, so one outlier of a noisy machine cannot carry the verdict, and it
/// assumes no shape for the distribution of timings.
///
/// Two-sided p-values as SciPy's `mannwhitneyu` computes them: exact (the
/// null distribution of U counted with the Gaussian binomial coefficient)
/// when there are no ties and the samples are small (`m · n ≤ 2 500`);
/// otherwise the normal approximation with the tie correction and a
/// continuity correction of ½ (Hollander & Wolfe, *Nonparametric
/// Statistical Methods*, §4.1).
public struct MannWhitney: Sendable, Equatable {
    /// U of the first sample: the number of pairs (x, y) with x > y, ties counting ½.
    public let u: Double
    public let p: Double
    public let exact: Bool

    public init(_ x: [Double], _ y: [Double]) {
        precondition(!x.isEmpty && !y.isEmpty, "Mann–Whitney needs two non-empty samples")
        let m = x.count, n = y.count
        let ranks = Self.midranks(x + y)
        let rankSum = ranks.prefix(m).reduce(0, +)
        u = rankSum - Double(m * (m + 1)) / 2
        let uMax = max(u, Double(m * n) - u)
        let ties = Self.tieTerm(x + y)
        if ties == 0 && m * n <= 2_500 {
            exact = true
            p = min(1, 2 * Self.exactUpperTail(atLeast: Int(uMax.rounded()), m: m, n: n))
        } else {
            exact = false
            let total = Double(m + n)
            let variance = Double(m * n) / 12 * ((total + 1) - ties / (total * (total - 1)))
            guard variance > 0 else {
                p = 1
                return
            }
            let z = (uMax - Double(m * n) / 2 - 0.5) / variance.squareRoot()
            p = min(1, erfc(z / 2.squareRoot()))
        }
    }

    /// Ranks 1…N with tied values sharing the mean of their ranks.
    static func midranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        return ranks
    }

    /// Σ (t³ − t) over groups of t tied values.
    static func tieTerm(_ values: [Double]) -> Double {
        var counts: [Double: Int] = [:]
        for v in values { counts[v, default: 0] += 1 }
        return counts.values.reduce(0) { $0 + Double($1 * $1 * $1 - $1) }
    }

    /// P(U ≥ u) under the null for samples of m and n without ties. The
    /// number of arrangements with U = k is the coefficient of q^k in the
    /// Gaussian binomial [m+n choose m]_q = ∏_{i=1…m} (1 − q^{n+i}) / (1 − q^i).
    static func exactUpperTail(atLeast u: Int, m: Int, n: Int) -> Double {
        let size = m * n + 1
        var c = [Double](repeating: 0, count: size)
        c[0] = 1
        for i in 1...m {
            // Multiply by (1 − q^{n+i}), then divide by (1 − q^i) (a running sum with stride i).
            for k in stride(from: size - 1, through: n + i, by: -1) { c[k] -= c[k - n - i] }
            for k in i..<size { c[k] += c[k - i] }
        }
        let total = c.reduce(0, +)
        guard u < size else { return 0 }
        return c[max(0, u)...].reduce(0, +) / total
    }
}
