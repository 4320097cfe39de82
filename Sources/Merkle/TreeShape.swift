import Hashing

/// The shape of a Merkle tree: `fanout` children per inner node and `depth`
/// levels below the root, so `fanout^depth` leaves, each a range of the
/// 64-bit key-hash space. The key's stable hash (xxHash64) picks its leaf:
/// the top `depth · log2(fanout)` bits of the hash, so leaf ranges are
/// contiguous hash ranges, as in Cassandra's token-range Merkle trees.
///
/// Fanouts are powers of two (2, 4, 16, 256, 1024, …) so a child index is a
/// shift and a mask.
public struct TreeShape: Sendable, Hashable, CustomStringConvertible {
    public let fanout: Int
    public let depth: Int
    /// log2(fanout).
    public let fanoutBits: Int

    /// - Precondition: fanout is a power of two ≥ 2, and fanout^depth ≤ 2^30.
    public init(fanout: Int, depth: Int) {
        precondition(fanout >= 2 && fanout & (fanout - 1) == 0, "fanout must be a power of two ≥ 2")
        precondition(depth >= 0)
        let bits = fanout.trailingZeroBitCount
        precondition(bits * depth <= 30, "at most 2^30 leaves")
        self.fanout = fanout
        self.depth = depth
        self.fanoutBits = bits
    }

    /// Mirrors Cassandra's repair Merkle tree: binary, depth 15, 32 768 leaf ranges.
    public static let cassandra = TreeShape(fanout: 2, depth: 15)
    /// Riak's `hashtree`: fanout 1 024 over 2^20 segments (depth 2).
    public static let riak = TreeShape(fanout: 1024, depth: 2)

    public var leafBits: Int { fanoutBits * depth }
    public var leafCount: Int { 1 << leafBits }
    /// Nodes at one level (root is level 0, leaves are level `depth`).
    @inlinable public func nodeCount(level: Int) -> Int { 1 << (fanoutBits * level) }
    /// Nodes in the whole tree.
    public var totalNodeCount: Int { (0...depth).reduce(0) { $0 + nodeCount(level: $1) } }

    /// The leaf that holds a key: the top `leafBits` bits of its xxHash64.
    @inlinable public func leaf(forKey key: UInt64) -> Int {
        leaf(forKeyHash: XXHash64.hash(key))
    }

    @inlinable public func leaf(forKeyHash hash: UInt64) -> Int {
        leafBits == 0 ? 0 : Int(truncatingIfNeeded: hash >> UInt64(64 - leafBits))
    }

    public var description: String { "\(fanout)^\(depth)" }
}
