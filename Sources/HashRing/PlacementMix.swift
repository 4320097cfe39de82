/// Small integer mixers shared by the placement variants.
///
/// `mix` is the 64-bit finaliser of SplitMix64 (Steele, Lea & Flood,
/// OOPSLA 2014): a bijection with full avalanche, used to derive independent
/// hashes of one key hash (a probe number, a bucket number or a node seed
/// folded in first). `reduce` maps a hash uniformly onto 0..<n with one
/// multiply (Lemire, "Fast random integer generation in an interval",
/// ACM TOMACS 2019) instead of a division.
///
/// - Complexity: O(1), a handful of multiplies, no allocation.
public enum PlacementMix {
    @inlinable @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }

    /// `hash` scaled onto 0..<n (the high word of hash × n).
    @inlinable @inline(__always)
    public static func reduce(_ hash: UInt64, _ n: Int) -> Int {
        Int(truncatingIfNeeded: hash.multipliedFullWidth(by: UInt64(truncatingIfNeeded: n)).high)
    }

    /// The golden-ratio increment of SplitMix64, used to space seeds apart.
    public static let golden: UInt64 = 0x9E37_79B9_7F4A_7C15
}
