/// The XOR-combined, incrementally updated tree (Cassandra's leaves, Riak's
/// "tictac" AAE trees by Martin Sumner): a leaf is the XOR of its items'
/// hashes h(key, version) and an inner node the XOR of its children. An
/// update XORs `h(old) ^ h(new)` into each node on the leaf's path, with no
/// rescan; two trees over disjoint data merge by XOR (`formUnion`).
///
/// The tree holds only digests: the caller's store knows the old version.
///
/// - Complexity: build one item hash per item plus one XOR per node; update
///   two item hashes plus depth + 1 XORs; merge one XOR per node.
public struct XORMerkleTree<Hash: MerkleHashFunction>: MerkleTree {
    public static var scheme: String { "xor" }
    public let shape: TreeShape
    @usableFromInline var storage: ContiguousArray<Hash.Digest>
    public var nodes: ContiguousArray<Hash.Digest> { storage }

    /// An empty tree (every node zero).
    @inlinable
    public init(shape: TreeShape) {
        self.shape = shape
        self.storage = ContiguousArray(repeating: .zero, count: shape.totalNodeCount)
    }

    @inlinable
    public init<C: Collection>(shape: TreeShape, items: C) where C.Element == Item {
        self.init(shape: shape)
        let leafStart = levelStart(shape.depth)
        storage.withUnsafeMutableBufferPointer { nodes in
            for item in items {
                let slot = leafStart &+ shape.leaf(forKey: item.key)
                nodes[slot] = nodes[slot] ^ Hash.hash(key: item.key, version: item.version)
            }
        }
        recomputeInnerNodes()
    }

    /// Recomputes every inner node from the leaves.
    ///
    /// - Complexity: one XOR per node.
    @inlinable
    public mutating func recomputeInnerNodes() {
        if shape.depth == 0 { return }
        let fanout = shape.fanout
        for level in stride(from: shape.depth - 1, through: 0, by: -1) {
            let own = levelStart(level)
            let children = levelStart(level + 1)
            storage.withUnsafeMutableBufferPointer { nodes in
                for i in 0..<shape.nodeCount(level: level) {
                    var acc = Hash.Digest.zero
                    let first = children &+ i &* fanout
                    for c in first..<(first &+ fanout) { acc = acc ^ nodes[c] }
                    nodes[own &+ i] = acc
                }
            }
        }
    }

    /// XORs `delta` into the leaf of `key` and every ancestor.
    @inlinable public mutating func apply(delta: Hash.Digest, key: UInt64) {
        var i = shape.leaf(forKey: key)
        let bits = shape.fanoutBits
        let depth = shape.depth
        storage.withUnsafeMutableBufferPointer { nodes in
            var level = depth
            while level >= 0 {
                let slot = ((1 &<< (bits &* level)) &- 1) / ((1 &<< bits) &- 1) &+ i
                nodes[slot] = nodes[slot] ^ delta
                i &>>= bits
                level &-= 1
            }
        }
    }

    /// Records a change of `key` from version `old` to `new` (nil = absent).
    ///
    /// - Complexity: at most two item hashes and depth + 1 XORs; no allocation.
    @inlinable public mutating func update(key: UInt64, from old: UInt64?, to new: UInt64?) {
        var delta = Hash.Digest.zero
        if let old { delta = delta ^ Hash.hash(key: key, version: old) }
        if let new { delta = delta ^ Hash.hash(key: key, version: new) }
        apply(delta: delta, key: key)
    }

    /// Merges a tree over disjoint data: afterwards this tree covers both.
    ///
    /// - Precondition: same shape.
    public mutating func formUnion(_ other: XORMerkleTree) {
        precondition(shape == other.shape, "trees of different shapes do not merge")
        storage.withUnsafeMutableBufferPointer { mine in
            other.nodes.withUnsafeBufferPointer { theirs in
                for i in 0..<mine.count { mine[i] = mine[i] ^ theirs[i] }
            }
        }
    }
}
