import Foundation

/// An empirical latency distribution: a piecewise-linear inverse CDF through
/// knots (pᵢ, xᵢ), p₀ = 0 < … < pₖ = 1, x non-decreasing.
///
/// Built from raw samples (the sorted samples at pᵢ = i/(n−1), so quantiles
/// interpolate as Hyndman & Fan's type 7, the default of R and NumPy, and
/// sampling is a smoothed bootstrap) or from a table of percentiles (a
/// latency report's p50, p99, …; below the first and above the last given
/// percentile the value is held at the first and last value).
///
/// - Complexity: sampling and quantiles O(log k) (binary search over knots), no allocation.
public struct EmpiricalQuantiles: Sendable, Equatable {
    public let probabilities: ContiguousArray<Double>
    public let values: ContiguousArray<Double>

    /// From raw samples (at least one).
    public init(samples: [Double]) {
        precondition(!samples.isEmpty, "an empirical distribution needs at least one sample")
        let sorted = samples.sorted()
        if sorted.count == 1 {
            probabilities = [0, 1]
            values = [sorted[0], sorted[0]]
        } else {
            let last = Double(sorted.count - 1)
            probabilities = ContiguousArray(sorted.indices.map { Double($0) / last })
            values = ContiguousArray(sorted)
        }
    }

    /// From (percentile in 0…100, value) pairs, strictly increasing in
    /// percentile and non-decreasing in value (the caller validates; see ``EmpiricalCSV``).
    public init(percentiles: [(percentile: Double, value: Double)]) {
        precondition(!percentiles.isEmpty, "an empirical distribution needs at least one percentile")
        var p = percentiles.map { $0.percentile / 100 }
        var x = percentiles.map(\.value)
        if p[0] > 0 { p.insert(0, at: 0); x.insert(x[0], at: 0) }
        if p[p.count - 1] < 1 { p.append(1); x.append(x[x.count - 1]) }
        probabilities = ContiguousArray(p)
        values = ContiguousArray(x)
    }

    /// Index i of the knot segment [pᵢ, pᵢ₊₁] holding u.
    @inlinable
    func segment(for u: Double) -> Int {
        var low = 0
        var high = probabilities.count &- 1
        while high &- low > 1 {
            let mid = (low &+ high) &>> 1
            if probabilities[mid] <= u { low = mid } else { high = mid }
        }
        return low
    }

    @inlinable
    public func value(atProbability u: Double) -> Double {
        let i = segment(for: u)
        let p0 = probabilities[i], p1 = probabilities[i &+ 1]
        let fraction = p1 > p0 ? (u - p0) / (p1 - p0) : 0
        return values[i] + fraction * (values[i &+ 1] - values[i])
    }

    /// The mean of the piecewise-linear inverse CDF: the area under it.
    public var mean: Double {
        var total = 0.0
        for i in 0..<(probabilities.count - 1) {
            total += (probabilities[i + 1] - probabilities[i]) * (values[i] + values[i + 1]) / 2
        }
        return total
    }

    public func cdf(_ x: Double) -> Double {
        if x < values[0] { return 0 }
        if x >= values[values.count - 1] { return 1 }
        var best = 0.0
        for i in 0..<(values.count - 1) where values[i] <= x {
            if values[i + 1] > x {
                let fraction = (x - values[i]) / (values[i + 1] - values[i])
                best = Swift.max(best, probabilities[i] + fraction * (probabilities[i + 1] - probabilities[i]))
            } else {
                best = Swift.max(best, probabilities[i + 1])
            }
        }
        return best
    }
}
