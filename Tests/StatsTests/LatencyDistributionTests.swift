import Foundation
import Testing
@testable import Stats

/// Analytic means and quantiles of every family, and that sampling matches them.
@Suite struct LatencyDistributionTests {
    static func close(_ a: Double, _ b: Double, relative: Double = 1e-9) -> Bool {
        abs(a - b) <= relative * max(1, abs(b))
    }

    @Test func constantAndUniform() {
        let c = LatencyDistribution(.constant(2.5))
        #expect(c.mean == 2.5 && c.quantile(0.3) == 2.5 && c.cdf(2.4) == 0 && c.cdf(2.5) == 1)
        let u = LatencyDistribution(.uniform(low: 1, high: 5))
        #expect(u.mean == 3)
        #expect(Self.close(u.quantile(0.25), 2))
        #expect(Self.close(u.cdf(4), 0.75))
    }

    /// Exponential(λ): mean 1/λ, median ln 2/λ, q-quantile −ln(1−q)/λ.
    @Test func exponential() {
        let e = LatencyDistribution(.exponential(rate: 0.183))
        #expect(Self.close(e.mean, 1 / 0.183))
        #expect(Self.close(e.quantile(0.5), log(2) / 0.183))
        #expect(Self.close(e.quantile(0.999), -log(0.001) / 0.183))
        #expect(Self.close(e.cdf(e.quantile(0.9)), 0.9))
    }

    /// Pareto(xₘ, α): mean α·xₘ/(α−1), q-quantile xₘ·(1−q)^(−1/α).
    @Test func pareto() {
        let p = LatencyDistribution(.pareto(scale: 0.235, shape: 10))
        let mean: Double = 10 * 0.235 / 9
        #expect(Self.close(p.mean, mean))
        #expect(Self.close(p.quantile(0.5), 0.235 * pow(2, 0.1)))
        #expect(Self.close(p.quantile(0.99), 0.235 * pow(100, 0.1)))
        #expect(LatencyDistribution(.pareto(scale: 1, shape: 1)).mean == .infinity)
    }

    /// Log-normal(μ, σ): median e^μ, mean e^(μ+σ²/2), q-quantile e^(μ+σ·z_q).
    @Test func logNormal() {
        let l = LatencyDistribution(.logNormal(mu: 1, sigma: 0.5))
        #expect(Self.close(l.mean, exp(1.125)))
        #expect(Self.close(l.quantile(0.5), exp(1), relative: 1e-12))
        // z_0.975 = 1.959963984540054 (standard normal tables).
        #expect(Self.close(l.quantile(0.975), exp(1 + 0.5 * 1.959963984540054), relative: 1e-12))
        #expect(Self.close(l.cdf(l.quantile(0.2)), 0.2))
    }

    /// Acklam's inverse with one Halley step is accurate to ~1e-15 against tabulated z values.
    @Test(arguments: [(0.5, 0.0), (0.975, 1.959963984540054), (0.999, 3.090232306167814), (0.001, -3.090232306167814), (1e-10, -6.361340902404056)])
    func normalQuantile(p: Double, z: Double) {
        #expect(abs(NormalDistribution.quantile(p) - z) < 1e-12)
    }

    /// Mixture mean is the weighted mean; a mixture quantile inverts the mixed CDF.
    @Test func mixtureMeanAndQuantile() {
        let m = LatencyDistribution(mixture: [(0.9122, .pareto(scale: 0.235, shape: 10)), (0.0878, .exponential(rate: 1.66))])
        let paretoMean: Double = 0.235 * 10 / 9
        let expected: Double = 0.9122 * paretoMean + 0.0878 / 1.66
        #expect(Self.close(m.mean, expected))
        for q in [0.1, 0.5, 0.9, 0.99, 0.999] {
            let x = m.quantile(q)
            #expect(abs(m.cdf(x) - q) < 1e-9, "q=\(q)")
        }
        // Weights are normalised.
        let halves = LatencyDistribution(mixture: [(2, .constant(1)), (2, .constant(3))])
        #expect(halves.mean == 2)
    }

    /// Sampling: the sample mean and sample quantiles match the analytic ones (seeded, so exact to rerun).
    @Test(arguments: [
        LatencyDistribution(.uniform(low: 0, high: 10)),
        LatencyDistribution(.exponential(rate: 2)),
        LatencyDistribution(.pareto(scale: 1.5, shape: 3.8)),
        LatencyDistribution(.logNormal(mu: 0, sigma: 0.5)),
        LatencyDistribution(mixture: [(0.38, .pareto(scale: 1.05, shape: 2.51)), (0.62, .exponential(rate: 0.183))]),
    ])
    func samplingMatchesTheAnalyticMeanAndQuantiles(_ d: LatencyDistribution) {
        var rng = Xoshiro256StarStar(seed: 42)
        let count = 40_000
        var samples = (0..<count).map { _ in d.sample(&rng) }
        let mean = samples.reduce(0, +) / Double(count)
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count - 1)
        // 5 standard errors: a false alarm is < 1e-6 likely.
        #expect(abs(mean - d.mean) < 5 * (variance / Double(count)).squareRoot(), "mean \(mean) vs \(d.mean)")
        samples.sort()
        for q in [0.1, 0.5, 0.9, 0.99] {
            // The empirical CDF at the true quantile is ~ N(q, q(1−q)/count).
            let fraction = Double(samples.firstIndex { $0 > d.quantile(q) } ?? count) / Double(count)
            #expect(abs(fraction - q) < 5 * (q * (1 - q) / Double(count)).squareRoot(), "q=\(q): \(fraction)")
        }
    }

    @Test func mixtureUsesOneDrawForTheComponentAndOneForTheValue() {
        var a = Xoshiro256StarStar(seed: 9)
        var b = Xoshiro256StarStar(seed: 9)
        let m = LatencyDistribution(mixture: [(0.5, .exponential(rate: 1)), (0.5, .constant(7))])
        let x = m.sample(&a)
        let pick = b.nextUnitDouble()
        let u = b.nextUnitDouble()
        #expect(x == (pick < 0.5 ? -log1p(-u) : 7))
        #expect(a.next() == b.next())
    }
}
