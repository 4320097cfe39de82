/// The rebuilt tree, as Riak's `hashtree` builds it: a leaf digest is the
/// hash of the leaf's (key, version) pairs sorted by key, an inner node is
/// the hash of its children's digests concatenated. Any change to a leaf
/// means re-hashing the whole leaf and every ancestor's children.
///
/// An empty leaf has the zero digest (no hash call), so sparse trees are
/// cheap to build and compare.
///
/// - Complexity: build O(n log(n / leaves)) for the sort plus hashing 16 n
///   bytes and `fanout · digest` bytes per inner node; update of one key
///   O(leaf size + depth · fanout) hashed bytes (plus the `LeafIndex` cost).
public struct RebuiltMerkleTree<Hash: MerkleHashFunction>: MerkleTree {
    public static var scheme: String { "rebuilt" }
    public let shape: TreeShape
    @usableFromInline var storage: ContiguousArray<Hash.Digest>
    public var nodes: ContiguousArray<Hash.Digest> { storage }
    /// The items the leaves were hashed from, grouped by leaf.
    @usableFromInline var leafIndex: LeafIndex
    public var index: LeafIndex { leafIndex }

    @inlinable
    public init<C: Collection>(shape: TreeShape, items: C) where C.Element == Item {
        self.init(index: LeafIndex(shape: shape, items: items))
    }

    @inlinable
    public init(index: LeafIndex) {
        self.shape = index.shape
        self.leafIndex = index
        self.storage = ContiguousArray(repeating: .zero, count: index.shape.totalNodeCount)
        let leafStart = levelStart(shape.depth)
        index.items.withUnsafeBytes { raw in
            storage.withUnsafeMutableBufferPointer { nodes in
                for leaf in 0..<shape.leafCount {
                    let range = leafIndex.range(ofLeaf: leaf)
                    if range.isEmpty { continue }
                    let bytes = UnsafeRawBufferPointer(rebasing: raw[(range.lowerBound &* 16)..<(range.upperBound &* 16)])
                    nodes[leafStart &+ leaf] = Hash.hash(bytes)
                }
            }
        }
        if shape.depth > 0 {
            for level in stride(from: shape.depth - 1, through: 0, by: -1) {
                for i in 0..<shape.nodeCount(level: level) { rehashInner(level: level, index: i) }
            }
        }
    }

    @inlinable mutating func rehashInner(level: Int, index i: Int) {
        let childStart = levelStart(level &+ 1) &+ (i << shape.fanoutBits)
        let count = shape.fanout
        let own = levelStart(level) &+ i
        storage.withUnsafeMutableBufferPointer { nodes in
            let bytes = UnsafeRawBufferPointer(start: nodes.baseAddress! + childStart, count: count &* MemoryLayout<Hash.Digest>.stride)
            nodes[own] = Hash.hash(bytes)
        }
    }

    @inlinable mutating func rehashLeaf(_ leaf: Int) {
        let range = leafIndex.range(ofLeaf: leaf)
        let slot = levelStart(shape.depth) &+ leaf
        if range.isEmpty {
            storage[slot] = .zero
        } else {
            storage[slot] = leafIndex.items.withUnsafeBytes { raw in
                Hash.hash(UnsafeRawBufferPointer(rebasing: raw[(range.lowerBound &* 16)..<(range.upperBound &* 16)]))
            }
        }
    }

    /// Sets a key's version (nil removes the key, a new key is inserted),
    /// then re-hashes its leaf and the path to the root, as Riak does for a
    /// dirty segment.
    @inlinable public mutating func set(key: UInt64, version: UInt64?) {
        let (leaf, _) = leafIndex.set(key: key, version: version)
        rehashLeaf(leaf)
        var i = leaf
        if shape.depth == 0 { return }
        for level in stride(from: shape.depth - 1, through: 0, by: -1) {
            i >>= shape.fanoutBits
            rehashInner(level: level, index: i)
        }
    }
}
