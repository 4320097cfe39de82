import Hashing

/// Consistent hashing: which node owns a key, such that changing the node set
/// moves few keys (Karger et al., STOC 1997).
///
/// Every placement variant in the lab conforms. A variant is built for a
/// fixed node set (nodes are identified by their ordinal 0..<nodeCount, in
/// the order given at construction) and is then immutable, so it can be
/// shared across threads. Lookups take the key's 64-bit hash, so the cost of
/// hashing a key is measured apart from the cost of choosing its node.
///
/// Conformers make ``node(forKeyHash:)`` `@inlinable` so generic callers are
/// specialised and the measured loop holds no dynamic dispatch.
public protocol ConsistentHash: Sendable {
    /// A short, stable name for the algorithm as it appears in CSV (`token-ring`, `jump`).
    static var algorithm: String { get }

    /// How many nodes the placement spreads keys over.
    var nodeCount: Int { get }

    /// The ordinal (0..<nodeCount) of the node that owns a key with this hash.
    func node(forKeyHash keyHash: UInt64) -> Int
}

extension ConsistentHash {
    /// The node that owns `key`, hashing it with the lab's placement hash (xxHash64, seed 0).
    @inlinable
    public func node(for key: UInt64) -> Int {
        node(forKeyHash: XXHash64.hash(key))
    }
}
