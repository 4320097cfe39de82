import Foundation
import Stats

/// What `caplab pbs` reports for one (model, N, R, W): latency percentiles,
/// P(consistent) at given times after commit, the t-visibility for a
/// probability with a 95 % confidence interval, and the closed-form
/// k-staleness (Bailis et al., PVLDB 2012, §3 and §5).
public struct PBSReport: Sendable, Equatable {
    public struct Percentiles: Sendable, Equatable {
        public let p50: Double
        public let p99: Double
        public let p999: Double
    }

    public struct Consistency: Sendable, Equatable {
        public let tMs: Double
        public let pConsistent: Double
    }

    public struct TVisibility: Sendable, Equatable {
        public let p: Double
        public let value: Double
        public let ciLow: Double
        public let ciHigh: Double
    }

    public struct KStaleness: Sendable, Equatable {
        public let k: Int
        public let pConsistent: Double
    }

    public let model: String
    public let n: Int
    public let r: Int
    public let w: Int
    public let trials: Int
    public let read: Percentiles
    public let write: Percentiles
    public let consistency: [Consistency]
    public let tVisibility: TVisibility
    public let kStaleness: [KStaleness]
    /// The placement the numbers assume, in words (`caplab pbs` prints it).
    public var topology: String = ""
    /// The read and write levels when they are not plain R and W counts (`LOCAL_QUORUM`, …).
    public var readLevel: String? = nil
    public var writeLevel: String? = nil

    /// Reduces Monte Carlo samples to the report.
    public init(model: String, n: Int, r: Int, w: Int, samples: PBSMonteCarlo.Samples, times: [Double], probability: Double, ks: [Int]) {
        self.model = model
        self.n = n
        self.r = r
        self.w = w
        trials = samples.trials
        func percentiles(_ sorted: [Double]) -> Percentiles {
            Percentiles(p50: Self.quantile(sorted, 0.5), p99: Self.quantile(sorted, 0.99), p999: Self.quantile(sorted, 0.999))
        }
        read = percentiles(samples.readLatency)
        write = percentiles(samples.writeLatency)
        consistency = times.map { Consistency(tMs: $0, pConsistent: Self.fractionAtOrBelow(samples.threshold, $0)) }
        tVisibility = Self.tVisibility(samples.threshold, probability: probability)
        kStaleness = ks.map { KStaleness(k: $0, pConsistent: Self.kStalenessConsistent(n: n, r: r, w: w, k: $0)) }
    }

    /// The nearest-rank q-quantile of ascending samples: the ⌈q·T⌉-th smallest.
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let rank = Swift.max(1, Swift.min(sorted.count, Int((q * Double(sorted.count)).rounded(.up))))
        return sorted[rank - 1]
    }

    /// Fraction of ascending samples ≤ x (binary search).
    public static func fractionAtOrBelow(_ sorted: [Double], _ x: Double) -> Double {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] <= x { low = mid + 1 } else { high = mid }
        }
        return Double(low) / Double(sorted.count)
    }

    /// The smallest t ≥ 0 with P(τ ≤ t) ≥ p, and a distribution-free 95 %
    /// interval for it from order statistics: the count of samples below the
    /// true quantile is Binomial(T, p), so ranks T·p ∓ 1.96·√(T·p·(1−p))
    /// bracket it (normal approximation; Hahn & Meeker, *Statistical
    /// Intervals*, §5.2). Every bound is clamped at 0 ms, since a read cannot
    /// start before the write commits.
    public static func tVisibility(_ thresholds: [Double], probability p: Double) -> TVisibility {
        let t = Double(thresholds.count)
        let spread = 1.96 * (t * p * (1 - p)).squareRoot()
        let center = Int((p * t).rounded(.up))
        let lowRank = Swift.max(1, Int((p * t - spread).rounded(.down)))
        let highRank = Swift.min(thresholds.count, Int((p * t + spread).rounded(.up)))
        func at(_ rank: Int) -> Double { Swift.max(0, thresholds[Swift.max(1, Swift.min(thresholds.count, rank)) - 1]) }
        return TVisibility(p: p, value: at(center), ciLow: at(lowRank), ciHigh: at(highRank))
    }

    /// P(a read returns one of the last k versions) with random quorums:
    /// 1 − (C(N−W, R) / C(N, R))^k (Bailis et al., §3.2, Eq. 1–2).
    public static func kStalenessConsistent(n: Int, r: Int, w: Int, k: Int) -> Double {
        1 - pow(staleProbability(n: n, r: r, w: w), Double(k))
    }

    /// C(N−W, R) / C(N, R): the chance a random R-set misses a random W-set.
    public static func staleProbability(n: Int, r: Int, w: Int) -> Double {
        if r > n - w { return 0 }
        // ∏_{i=0}^{R−1} (N−W−i)/(N−i): exact in doubles for any realistic N.
        var p = 1.0
        for i in 0..<r { p *= Double(n - w - i) / Double(n - i) }
        return p
    }
}
