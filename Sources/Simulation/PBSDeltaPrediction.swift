import Foundation

/// What PBS predicts for the Δ-atomicity a checker measures on a whole run
/// (Golab, Li & Shah, PODC 2011): Δ of a key is the *worst* read of the
/// run, while PBS's t-visibility (Bailis et al., PVLDB 2012, §5) is a
/// quantile for *one* read started t after one write commits. This turns
/// the one-read distribution into the distribution of the worst read.
///
/// The workload it models: on one key, writes arrive as a Poisson process
/// with mean gap G, and reads at `readsPerKey` over the run. A read whose
/// age (time since the last write committed) is a is stale exactly when
/// that trial's threshold τ exceeds a (``PBSMonteCarlo``), and then its
/// staleness is a. With ages distributed as the gap's memoryless tail,
/// density e^{−a/G}/G, the expected number of reads with staleness above x
/// is
///
///     Λ(x) = readsPerKey · E[(e^{−x/G} − e^{−τ/G})⁺]
///
/// (for G much longer than τ's tail: readsPerKey · E[(τ − x)⁺] / G), so if
/// reads miss writes independently of one another, the key's worst read,
/// hence its Δ as far as stale reads go, has P(Δ ≤ x) = e^{−Λ(x)}. The
/// expectation is a mean over the τ sample, so every figure here comes from
/// the same Monte Carlo as `caplab pbs`.
///
/// What it leaves out, and which way each goes: reads after one write
/// share that write's replica arrival times, so their misses cluster and
/// the worst read is less extreme than the independent model's (measured Δ
/// below the prediction); and Δ also counts read–read inversions while a
/// write is in flight (a read sees it, a later read does not), which PBS
/// does not model at all (measured Δ above it, by at most a write latency).
///
/// - Complexity: O(T) to build from T sorted samples (one suffix sum);
///   O(log T) per evaluation of Λ, O(log T · 64) per quantile.
public struct PBSDeltaPrediction: Sendable {
    /// τ per trial, ascending (``PBSMonteCarlo/Samples/threshold``).
    public let thresholds: [Double]
    /// Mean gap between writes to a key, ms.
    public let writeGapMs: Double
    /// Reads of one key over the run.
    public let readsPerKey: Double
    /// suffixDecay[i] = Σ_{j ≥ i} e^{−τ_j/G} (over τ_j > 0 only; earlier entries repeat).
    let suffixDecay: [Double]

    public init(thresholds: [Double], writeGapMs: Double, readsPerKey: Double) {
        precondition(!thresholds.isEmpty && writeGapMs > 0 && readsPerKey >= 0, "a prediction needs samples, a positive gap and a read count")
        self.thresholds = thresholds
        self.writeGapMs = writeGapMs
        self.readsPerKey = readsPerKey
        var suffix = [Double](repeating: 0, count: thresholds.count + 1)
        for i in stride(from: thresholds.count - 1, through: 0, by: -1) {
            suffix[i] = suffix[i + 1] + (thresholds[i] > 0 ? exp(-thresholds[i] / writeGapMs) : 0)
        }
        suffixDecay = suffix
    }

    /// Index of the first sample greater than `x` (samples ascending).
    func firstAbove(_ x: Double) -> Int {
        var low = 0, high = thresholds.count
        while low < high {
            let mid = (low + high) / 2
            if thresholds[mid] <= x { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// E[(e^{−x/G} − e^{−τ/G})⁺] for x ≥ 0: the chance that one read, at a
    /// random age, is stale by more than x ms.
    public func staleBeyond(_ x: Double) -> Double {
        let i = firstAbove(max(0, x))
        let above = Double(thresholds.count - i)
        return max(0, (above * exp(-max(0, x) / writeGapMs) - suffixDecay[i]) / Double(thresholds.count))
    }

    /// The fraction of reads predicted stale: E[1 − e^{−τ⁺/G}].
    public var staleReadFraction: Double { staleBeyond(0) }

    /// Λ(x): expected reads of one key stale by more than x ms.
    public func expectedStaleReads(beyond x: Double) -> Double { readsPerKey * staleBeyond(x) }

    /// The smallest x ≥ 0 with e^{−keys·Λ(x)} ≥ p: the p-quantile of the
    /// largest Δ over `keys` independent keys (`keys` = 1: of one key's Δ).
    /// 0 when the run is predicted that consistent already at x = 0.
    public func deltaQuantile(_ p: Double, keys: Int = 1) -> Double {
        precondition(p > 0 && p < 1 && keys >= 1, "a quantile needs 0 < p < 1 and at least one key")
        let target = -log(p) / Double(keys)
        if expectedStaleReads(beyond: 0) <= target { return 0 }
        var low = 0.0, high = max(thresholds.last!, 0)
        // Λ is continuous and decreasing on [0, max τ], Λ(max τ) = 0: bisect to a relative 2⁻⁵².
        for _ in 0..<64 {
            let mid = (low + high) / 2
            if expectedStaleReads(beyond: mid) > target { low = mid } else { high = mid }
        }
        return high
    }

    /// P(τ ≤ t): the PBS probability whose t-visibility is t.
    public func pConsistent(at t: Double) -> Double {
        Double(firstAbove(t)) / Double(thresholds.count)
    }
}
