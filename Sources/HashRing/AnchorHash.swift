/// AnchorHash (Mendelson, Vargaftik, Barabash, Lorenz, Keslassy & Orda,
/// "AnchorHash: A Scalable Consistent Hash", IEEE/ACM ToN 2021,
/// arXiv:1812.09674), the minimal-memory form of Algorithm 3.
///
/// A fixed anchor of `capacity` buckets, of which a working set is in use.
/// Each removed bucket b remembers `A[b]`, the working-set size just after
/// its removal; a key that hashes to a removed bucket is rehashed into
/// 0..<A[b], following the `K` replacement chain past buckets removed
/// before b. Any bucket (not only the last) can be removed, and removal
/// moves exactly that bucket's keys; adding brings back the most recently
/// removed bucket and moves keys only onto it. Node ordinals are bucket
/// ids: 0..<working when built, stable across changes.
///
/// - Complexity: lookup O(1) when nothing is removed, expected
///   O(1 + ln(capacity/working)) otherwise; no allocation; add and remove
///   O(1); memory 16·capacity bytes.
public struct AnchorHash: ConsistentHash {
    public static var algorithm: String { "anchor" }

    public let capacity: Int
    /// Working buckets (the paper's N).
    public private(set) var nodeCount: Int
    /// 0 for a working bucket; the working-set size just after removal otherwise.
    @usableFromInline var a: ContiguousArray<UInt32>
    /// The working buckets in order (positions 0..<nodeCount).
    @usableFromInline var w: ContiguousArray<UInt32>
    /// Position of each bucket in `w` when it last was there.
    @usableFromInline var l: ContiguousArray<UInt32>
    /// The bucket that took this bucket's place in `w` when it was removed.
    @usableFromInline var k: ContiguousArray<UInt32>
    /// Removed buckets, most recent last.
    var removed: [UInt32]

    /// An anchor of `capacity` buckets with buckets 0..<working in use
    /// (the paper's INITANCHOR).
    /// - Precondition: 1 ≤ working ≤ capacity ≤ 2^32 − 1.
    public init(capacity: Int, working: Int) {
        precondition(working >= 1 && working <= capacity && capacity < Int(UInt32.max), "need 1 ≤ working ≤ capacity")
        self.capacity = capacity
        nodeCount = working
        a = ContiguousArray(repeating: 0, count: capacity)
        w = ContiguousArray((0..<capacity).map(UInt32.init))
        l = w
        k = w
        removed = []
        removed.reserveCapacity(capacity - working)
        for b in stride(from: capacity - 1, through: working, by: -1) {
            removed.append(UInt32(b))
            a[b] = UInt32(b)
        }
    }

    /// An anchor with exactly `nodeCount` buckets, all working.
    public init(nodeCount: Int) { self.init(capacity: nodeCount, working: nodeCount) }

    /// Whether bucket `b` is in the working set.
    public func isWorking(_ b: Int) -> Bool { a[b] == 0 }

    /// The working buckets, in the anchor's order.
    public var workingBuckets: [Int] { w.prefix(nodeCount).map(Int.init) }

    /// Bytes the lookup structures occupy (A, W, L, K; the removed stack aside).
    public var memoryBytes: Int { capacity * 16 }

    /// The key's bucket (the paper's GETBUCKET).
    @inlinable
    public func node(forKeyHash keyHash: UInt64) -> Int {
        a.withUnsafeBufferPointer { a in
            k.withUnsafeBufferPointer { k in
                var b = PlacementMix.reduce(keyHash, a.count)
                while a[b] > 0 {
                    let size = a[b]
                    // h_b(k): the key hash mixed with the bucket id, onto 0..<A[b].
                    var h = PlacementMix.reduce(
                        PlacementMix.mix(keyHash ^ (UInt64(truncatingIfNeeded: b) &+ 1) &* PlacementMix.golden),
                        Int(size))
                    while a[h] >= size { h = Int(k[h]) }
                    b = h
                }
                return b
            }
        }
    }

    /// Removes a working bucket (the paper's REMOVEBUCKET).
    /// - Precondition: `b` is working and is not the last working bucket.
    public mutating func removeBucket(_ b: Int) {
        precondition(b >= 0 && b < capacity && a[b] == 0, "bucket \(b) is not working")
        precondition(nodeCount > 1, "cannot remove the last working bucket")
        removed.append(UInt32(b))
        nodeCount -= 1
        let n = nodeCount
        a[b] = UInt32(n)
        let last = w[n]
        w[Int(l[b])] = last
        l[Int(last)] = l[b]
        k[b] = last
    }

    /// Brings back the most recently removed bucket (the paper's ADDBUCKET).
    /// - Precondition: some bucket is removed.
    @discardableResult
    public mutating func addBucket() -> Int {
        precondition(!removed.isEmpty, "every bucket of the anchor is working")
        let b = Int(removed.removeLast())
        a[b] = 0
        let n = nodeCount
        l[Int(w[n])] = UInt32(n)
        w[Int(l[b])] = UInt32(b)
        k[b] = UInt32(b)
        nodeCount += 1
        return b
    }
}
