import Foundation
import Stats

/// Which key an operation touches, as YCSB chooses them (Cooper et al.,
/// "Benchmarking Cloud Serving Systems with YCSB", SoCC 2010).
///
/// - `uniform`: every key alike.
/// - `zipfian(θ)`: key rank i with probability ∝ 1/i^θ, by the method of
///   Gray et al., "Quickly Generating Billion-Record Synthetic Databases"
///   (SIGMOD 1994), which YCSB uses: O(1) a draw after an O(n) setup.
/// - `latest`: the most recently inserted keys are the most popular
///   (zipfian over recency, θ = 0.99).
///
/// - Complexity: O(1) per draw, no allocation; setup O(keys) for zipfian.
public struct KeyDistribution: Sendable {
    public enum Kind: Sendable, Equatable {
        case uniform
        case zipfian(theta: Double)
        case latest
    }

    public let kind: Kind
    public let keyCount: Int
    @usableFromInline let theta: Double
    @usableFromInline let zetaN: Double
    @usableFromInline let alpha: Double
    @usableFromInline let eta: Double

    public init(_ kind: Kind, keyCount: Int) {
        precondition(keyCount >= 1, "a key distribution needs at least one key")
        self.kind = kind
        self.keyCount = keyCount
        switch kind {
        case .uniform:
            theta = 0
        case .zipfian(let t):
            precondition(t > 0 && t < 1, "YCSB's zipfian needs 0 < θ < 1")
            theta = t
        case .latest:
            theta = 0.99
        }
        var zeta = 0.0
        if theta > 0 { for i in 1...keyCount { zeta += 1 / pow(Double(i), theta) } }
        zetaN = zeta
        alpha = theta > 0 ? 1 / (1 - theta) : 0
        let zeta2 = theta > 0 ? 1 + 1 / pow(2, theta) : 0
        eta = theta > 0 ? (1 - pow(2 / Double(keyCount), 1 - theta)) / (1 - zeta2 / zeta) : 0
    }

    /// The rank (0 = most popular) by Gray et al.'s method.
    @inlinable
    func zipfianRank(_ rng: inout Xoshiro256StarStar) -> Int {
        let u = rng.nextUnitDouble()
        let uz = u * zetaN
        if uz < 1 { return 0 }
        if uz < 1 + pow(0.5, theta) { return 1 }
        return Swift.min(keyCount - 1, Int(Double(keyCount) * pow(eta * u - eta + 1, alpha)))
    }

    /// A key in 0..<keyCount. `newest` is the most recently written key (for `latest`).
    @inlinable
    public func next(_ rng: inout Xoshiro256StarStar, newest: Int = 0) -> UInt64 {
        switch kind {
        case .uniform:
            return rng.next() % UInt64(keyCount)
        case .zipfian:
            return UInt64(zipfianRank(&rng))
        case .latest:
            let back = zipfianRank(&rng)
            return UInt64(((newest - back) % keyCount + keyCount) % keyCount)
        }
    }

    /// P(rank i) for zipfian: (1/i^θ) / ζ(n, θ), i ≥ 1 (for tests).
    public func zipfianProbability(rank: Int) -> Double {
        (1 / pow(Double(rank), theta)) / zetaN
    }
}
