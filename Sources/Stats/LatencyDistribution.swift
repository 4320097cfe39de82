import Foundation

/// A one-way message delay distribution, in milliseconds: one family, or a
/// weighted mixture of families, as the PBS paper fits production traces
/// (Bailis et al., "Probabilistically Bounded Staleness for Practical Partial
/// Quorums", PVLDB 5(8), 2012, Table 3).
///
/// Every distribution is a mixture: a plain family is a mixture of one
/// component. Sampling a mixture of several components takes one uniform
/// draw to pick the component and another for the value (the convention of
/// the PBS simulator); a single component takes one draw. Every family is
/// sampled by inversion of its CDF, so one draw gives one value.
///
/// - Complexity: ``sample(_:)`` O(c) for c components (a linear scan of
///   cumulative weights; c is 1 or 2 for every preset), one `log`/`exp` at
///   most, no allocation. ``quantile(_:)`` is closed-form for one component
///   and ~100 CDF evaluations (bisection) for a mixture.
public struct LatencyDistribution: Sendable, Equatable {
    /// One family with its parameters, all in milliseconds.
    public enum Family: Sendable, Equatable {
        /// Always `value`.
        case constant(Double)
        /// Uniform on [low, high).
        case uniform(low: Double, high: Double)
        /// Exponential with rate λ: mean 1/λ, `x = −ln(1−U)/λ`.
        case exponential(rate: Double)
        /// Pareto with scale xₘ and shape α: `x = xₘ / U^(1/α)`, mean α·xₘ/(α−1) for α > 1.
        case pareto(scale: Double, shape: Double)
        /// exp(N(μ, σ²)): median e^μ, mean e^(μ+σ²/2).
        case logNormal(mu: Double, sigma: Double)
        /// Piecewise-linear inverse CDF through (probability, value) knots (see ``EmpiricalQuantiles``).
        case empirical(EmpiricalQuantiles)
    }

    public struct Component: Sendable, Equatable {
        public let weight: Double
        public let family: Family
    }

    /// Components with weights normalised to sum to 1.
    public let components: [Component]
    /// Cumulative weights, the last one exactly 1.
    @usableFromInline let cumulative: ContiguousArray<Double>
    @usableFromInline let families: ContiguousArray<Family>

    /// A single family.
    public init(_ family: Family) {
        self.init(mixture: [(1, family)])
    }

    /// A weighted mixture; weights must be positive and are normalised to sum to 1.
    public init(mixture: [(weight: Double, family: Family)]) {
        precondition(!mixture.isEmpty, "a mixture needs at least one component")
        precondition(mixture.allSatisfy { $0.weight > 0 && $0.weight.isFinite }, "mixture weights must be positive")
        let total = mixture.reduce(0) { $0 + $1.weight }
        components = mixture.map { Component(weight: $0.weight / total, family: $0.family) }
        var running = 0.0
        var cumulative = ContiguousArray<Double>()
        for component in components {
            running += component.weight
            cumulative.append(running)
        }
        cumulative[cumulative.count - 1] = 1
        self.cumulative = cumulative
        families = ContiguousArray(components.map(\.family))
    }

    public static func == (a: LatencyDistribution, b: LatencyDistribution) -> Bool { a.components == b.components }

    /// One value, in milliseconds.
    @inlinable
    public func sample(_ rng: inout Xoshiro256StarStar) -> Double {
        if families.count == 1 {
            return families[0].value(atProbability: rng.nextUnitDouble())
        }
        let pick = rng.nextUnitDouble()
        var index = 0
        while index < cumulative.count &- 1 && pick >= cumulative[index] { index &+= 1 }
        return families[index].value(atProbability: rng.nextUnitDouble())
    }

    /// The mean in milliseconds (infinite when a Pareto component has α ≤ 1).
    public var mean: Double {
        components.reduce(0) { $0 + $1.weight * $1.family.mean }
    }

    /// P(X ≤ x).
    public func cdf(_ x: Double) -> Double {
        components.reduce(0) { $0 + $1.weight * $1.family.cdf(x) }
    }

    /// The p-quantile (0 ≤ p < 1): exact for one component, by bisection on
    /// the CDF (to 1e-12 relative) for a mixture.
    public func quantile(_ p: Double) -> Double {
        precondition(p >= 0 && p <= 1, "a quantile needs 0 ≤ p ≤ 1")
        if components.count == 1 { return families[0].value(atProbability: p) }
        var low = components.map { $0.family.value(atProbability: 0) }.min()!
        var high = Swift.max(low + 1, components.map { $0.family.value(atProbability: Swift.min(p, 0.999_999_999_999)) }.max()!)
        while cdf(high) < p { high *= 2 }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if cdf(mid) < p { low = mid } else { high = mid }
            if high - low <= 1e-12 * Swift.max(1, abs(high)) { break }
        }
        return (low + high) / 2
    }
}

extension LatencyDistribution.Family {
    /// The inverse CDF at `u` ∈ [0, 1): the value a uniform draw `u` maps to.
    @inlinable
    public func value(atProbability u: Double) -> Double {
        switch self {
        case .constant(let value):
            return value
        case .uniform(let low, let high):
            return low + (high - low) * u
        case .exponential(let rate):
            return -log1p(-u) / rate
        case .pareto(let scale, let shape):
            // U and 1 − U are equally uniform; 1 − U keeps the draw in (0, 1] so it never divides by zero.
            return scale * exp(-log1p(-u) / shape)
        case .logNormal(let mu, let sigma):
            return exp(mu + sigma * NormalDistribution.quantile(u))
        case .empirical(let table):
            return table.value(atProbability: u)
        }
    }

    public var mean: Double {
        switch self {
        case .constant(let value): return value
        case .uniform(let low, let high): return (low + high) / 2
        case .exponential(let rate): return 1 / rate
        case .pareto(let scale, let shape): return shape > 1 ? shape * scale / (shape - 1) : .infinity
        case .logNormal(let mu, let sigma): return exp(mu + sigma * sigma / 2)
        case .empirical(let table): return table.mean
        }
    }

    public func cdf(_ x: Double) -> Double {
        switch self {
        case .constant(let value): return x >= value ? 1 : 0
        case .uniform(let low, let high): return x <= low ? 0 : (x >= high ? 1 : (x - low) / (high - low))
        case .exponential(let rate): return x <= 0 ? 0 : -expm1(-rate * x)
        case .pareto(let scale, let shape): return x <= scale ? 0 : 1 - pow(scale / x, shape)
        case .logNormal(let mu, let sigma): return x <= 0 ? 0 : NormalDistribution.cdf((log(x) - mu) / sigma)
        case .empirical(let table): return table.cdf(x)
        }
    }
}
