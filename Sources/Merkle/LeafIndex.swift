/// One replicated item as anti-entropy sees it: a 64-bit key and a 64-bit
/// version (a version digest, e.g. of a vector clock or timestamp).
/// 16 bytes, laid out so a run of items can be hashed as raw bytes.
@frozen
public struct Item: Sendable, Hashable, BitwiseCopyable {
    public var key: UInt64
    public var version: UInt64

    @inlinable public init(key: UInt64, version: UInt64) {
        self.key = key
        self.version = version
    }

    /// Bytes per item on the wire (key + version).
    public static let byteCount = 16
}

/// A replica's items grouped by leaf range: sorted by (leaf, key), with the
/// offset where each leaf's run starts. It is what a replica scans to stream
/// the keys of a differing range, and what the rebuilt tree hashes.
///
/// - Complexity: build O(n log(n / leaves) + leaves) (counting sort by leaf,
///   then a sort within each leaf); memory 16 n + 4 (leaves + 1) bytes.
public struct LeafIndex: Sendable {
    public let shape: TreeShape
    /// Items sorted by (leaf, key).
    public var items: ContiguousArray<Item> { storedItems }
    @usableFromInline var storedItems: ContiguousArray<Item>
    /// `offsets[l] ..< offsets[l + 1]` are leaf l's items.
    public var offsets: ContiguousArray<Int32> { storedOffsets }
    @usableFromInline var storedOffsets: ContiguousArray<Int32>

    /// - Precondition: keys are distinct.
    @inlinable
    public init<C: Collection>(shape: TreeShape, items source: C) where C.Element == Item {
        self.shape = shape
        let leafCount = shape.leafCount
        var counts = ContiguousArray<Int32>(repeating: 0, count: leafCount + 1)
        var leaves = ContiguousArray<Int32>()
        leaves.reserveCapacity(source.count)
        for item in source {
            let leaf = shape.leaf(forKey: item.key)
            leaves.append(Int32(truncatingIfNeeded: leaf))
            counts[leaf &+ 1] &+= 1
        }
        for l in 0..<leafCount { counts[l &+ 1] &+= counts[l] }
        var cursor = counts
        var sorted = ContiguousArray(repeating: Item(key: 0, version: 0), count: source.count)
        for (i, item) in source.enumerated() {
            let leaf = Int(leaves[i])
            sorted[Int(cursor[leaf])] = item
            cursor[leaf] &+= 1
        }
        sorted.withUnsafeMutableBufferPointer { buffer in
            for l in 0..<leafCount {
                let range = Int(counts[l])..<Int(counts[l &+ 1])
                if range.count > 1 { buffer[range].sort { $0.key < $1.key } }
            }
        }
        self.storedItems = sorted
        self.storedOffsets = counts
    }

    public var count: Int { items.count }

    /// The items of one leaf range.
    @inlinable public func range(ofLeaf leaf: Int) -> Range<Int> {
        Int(storedOffsets[leaf])..<Int(storedOffsets[leaf &+ 1])
    }

    /// The position of `key` in `items`, or where it would be inserted.
    @inlinable func position(ofKey key: UInt64, leaf: Int) -> (index: Int, found: Bool) {
        var low = Int(storedOffsets[leaf])
        var high = Int(storedOffsets[leaf &+ 1])
        while low < high {
            let mid = (low &+ high) >> 1
            if storedItems[mid].key < key { low = mid &+ 1 } else { high = mid }
        }
        return (low, low < Int(storedOffsets[leaf &+ 1]) && storedItems[low].key == key)
    }

    /// Sets a key's version, inserting the key if absent (nil removes it).
    /// Returns the leaf touched and the old version, if any.
    ///
    /// - Complexity: O(log leaf size) to replace a version; O(n + leaves) to
    ///   insert or remove (the items and offsets behind it shift).
    @discardableResult
    @inlinable public mutating func set(key: UInt64, version: UInt64?) -> (leaf: Int, old: UInt64?) {
        let leaf = shape.leaf(forKey: key)
        let (index, found) = position(ofKey: key, leaf: leaf)
        let old = found ? storedItems[index].version : nil
        switch (found, version) {
        case (true, let v?): storedItems[index].version = v
        case (true, nil):
            storedItems.remove(at: index)
            for l in (leaf &+ 1)..<offsets.count { storedOffsets[l] &-= 1 }
        case (false, let v?):
            storedItems.insert(Item(key: key, version: v), at: index)
            for l in (leaf &+ 1)..<offsets.count { storedOffsets[l] &+= 1 }
        case (false, nil): break
        }
        return (leaf, old)
    }

    /// Bytes held: items and offsets.
    public var memoryBytes: Int { items.count * Item.byteCount + offsets.count * 4 }
}
