/// Jump consistent hash (Lamping & Veach, "A Fast, Minimal Memory, Consistent
/// Hash Algorithm", arXiv:1406.2294, 2014).
///
/// No memory beyond the bucket count and O(ln n) expected steps per lookup.
/// When the node count grows from n to n+1, exactly the keys that move go to
/// the new node (≈ 1/(n+1) of them). It can only add or remove the *last*
/// node: removing a node in the middle renumbers every node after it.
///
/// Reproduces the reference implementation bit for bit, including Guava's
/// `Hashing.consistentHash` golden values.
///
/// - Complexity: O(log n) expected per lookup; O(1) memory; no allocation.
public struct JumpHash: ConsistentHash {
    public static var algorithm: String { "jump" }

    public let nodeCount: Int

    /// - Precondition: `nodeCount` is in 1...Int32.max.
    public init(nodeCount: Int) {
        precondition(nodeCount >= 1 && nodeCount <= Int(Int32.max), "jump hash needs 1...2^31-1 buckets")
        self.nodeCount = nodeCount
    }

    @inlinable
    public func node(forKeyHash keyHash: UInt64) -> Int {
        JumpHash.bucket(for: keyHash, buckets: nodeCount)
    }

    /// The paper's `JumpConsistentHash(key, num_buckets)`.
    @inlinable
    public static func bucket(for key: UInt64, buckets: Int) -> Int {
        var key = key
        var b: Int64 = -1
        var j: Int64 = 0
        let n = Int64(buckets)
        while j < n {
            b = j
            key = key &* 2_862_933_555_777_941_757 &+ 1
            j = Int64(Double(b &+ 1) * (Double(Int64(1) << 31) / Double((key >> 33) &+ 1)))
        }
        return Int(b)
    }
}
