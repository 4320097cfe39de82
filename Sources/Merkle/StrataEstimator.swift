import Hashing

/// The strata estimator of Eppstein et al. (SIGCOMM 2011, §3.2): item i
/// goes to stratum `trailingZeros(h(i))`, which samples the set at rate
/// 2^−(s+1); each stratum is a small IBLT. Subtracting two estimators and
/// decoding from the sparsest stratum down, the first stratum that fails
/// to decode gives the estimate 2^(s+1) × (items decoded above it).
///
/// - Complexity: insert O(k); estimate O(strata · cells). Wire size
///   `strata · cellsPerStratum · 28` bytes (16 × 80 cells: 35 840 bytes).
public struct StrataEstimator: Sendable {
    public private(set) var strata: [IBLT]

    public init(strataCount: Int = 16, cellsPerStratum: Int = 80) {
        strata = Array(repeating: IBLT(cells: cellsPerStratum, hashCount: 4), count: strataCount)
    }

    public var byteCount: Int { strata.reduce(0) { $0 + $1.byteCount } }

    public mutating func insert(_ item: Item) {
        // A hash independent of the IBLT's cell hashes picks the stratum.
        let h = XXHash64.hash(IBLT.itemHash(item.key, item.version), seed: 0x57_4A7A)
        let s = min(h.trailingZeroBitCount, strata.count - 1)
        strata[s].insert(item)
    }

    /// The estimated size of the symmetric difference between the sets
    /// behind `self` and `other`.
    public func estimate(against other: StrataEstimator) -> Int {
        precondition(strata.count == other.strata.count)
        var count = 0
        for s in stride(from: strata.count - 1, through: 0, by: -1) {
            switch strata[s].subtracting(other.strata[s]).decode() {
            case .complete(let here, let there): count += here.count + there.count
            case .failed: return count << (s + 1)
            }
        }
        return count
    }
}
