/// A version vector stored as (node, counter) pairs sorted by node: the
/// representation for many possible writers of which each clock has heard
/// from few (Riak's vclock, Voldemort's VectorClock).
///
/// Nodes and counters live in two parallel arrays. Merge is a linear merge
/// of two sorted runs, done in place: one pass counts the union, the
/// arrays grow to it, and a second pass fills them from the back, so
/// merging into a clock with room for the union never allocates.
///
/// - Complexity: `merge` and `compare` O(n + m); `counter(for:)`
///   O(log n); `increment` O(log n) for a known node, O(n) to insert a new one.
public struct SparseClock: CausalClock {
    public static let representation = "sparse"

    /// Strictly increasing node ids.
    @usableFromInline var nodes: ContiguousArray<NodeID>
    /// `counters[i]` belongs to `nodes[i]`; never 0.
    @usableFromInline var counters: ContiguousArray<UInt64>

    @inlinable
    public init() {
        nodes = []
        counters = []
    }

    /// An empty clock with room for `entryCount` entries, so merges whose union fits never allocate.
    @inlinable
    public init(capacity entryCount: Int) {
        self.init()
        nodes.reserveCapacity(entryCount)
        counters.reserveCapacity(entryCount)
    }

    public init(entries: some Sequence<(node: NodeID, counter: UInt64)>) {
        let sorted = entries.filter { $0.counter > 0 }.sorted { $0.node < $1.node }
        nodes = ContiguousArray(sorted.map(\.node))
        counters = ContiguousArray(sorted.map(\.counter))
        precondition(zip(nodes, nodes.dropFirst()).allSatisfy { $0 < $1 }, "a node may appear once in a clock")
    }

    /// Number of stored entries.
    @inlinable
    public var entryCount: Int { nodes.count }

    @inlinable
    func index(of node: NodeID) -> (found: Bool, index: Int) {
        var low = 0
        var high = nodes.count
        while low < high {
            let mid = (low &+ high) >> 1
            if nodes[mid] < node { low = mid &+ 1 } else { high = mid }
        }
        return (low < nodes.count && nodes[low] == node, low)
    }

    @inlinable
    public func counter(for node: NodeID) -> UInt64 {
        let (found, i) = index(of: node)
        return found ? counters[i] : 0
    }

    @inlinable
    public mutating func increment(_ node: NodeID) {
        let (found, i) = index(of: node)
        if found {
            counters[i] &+= 1
        } else {
            nodes.insert(node, at: i)
            counters.insert(1, at: i)
        }
    }

    @inlinable
    public mutating func merge(_ other: SparseClock) {
        let m = other.nodes.count
        if m == 0 { return }
        let n = nodes.count
        // Pass 1: size of the union.
        var union = n
        other.nodes.withUnsafeBufferPointer { theirs in
            nodes.withUnsafeBufferPointer { ours in
                var i = 0, j = 0
                while j < m {
                    if i == n { union &+= m &- j; break }
                    let a = ours[i], b = theirs[j]
                    if a < b { i &+= 1 } else if a > b { union &+= 1; j &+= 1 } else { i &+= 1; j &+= 1 }
                }
            }
        }
        if union == n {
            // Same node set or a superset: max in place.
            mergeSubset(other)
            return
        }
        nodes.append(contentsOf: repeatElement(0, count: union &- n))
        counters.append(contentsOf: repeatElement(0, count: union &- n))
        // Pass 2: merge from the back so no unread entry is overwritten.
        nodes.withUnsafeMutableBufferPointer { ourNodes in
            counters.withUnsafeMutableBufferPointer { ourCounters in
                other.nodes.withUnsafeBufferPointer { theirNodes in
                    other.counters.withUnsafeBufferPointer { theirCounters in
                        var i = n &- 1, j = m &- 1, k = union &- 1
                        while j >= 0 {
                            if i >= 0 && ourNodes[i] > theirNodes[j] {
                                ourNodes[k] = ourNodes[i]; ourCounters[k] = ourCounters[i]; i &-= 1
                            } else if i >= 0 && ourNodes[i] == theirNodes[j] {
                                let a = ourCounters[i], b = theirCounters[j]
                                ourNodes[k] = ourNodes[i]; ourCounters[k] = a > b ? a : b
                                i &-= 1; j &-= 1
                            } else {
                                ourNodes[k] = theirNodes[j]; ourCounters[k] = theirCounters[j]; j &-= 1
                            }
                            k &-= 1
                        }
                        // Entries 0...i are already in place (k == i here).
                    }
                }
            }
        }
    }

    /// Merge when every node of `other` is already here.
    @inlinable
    mutating func mergeSubset(_ other: SparseClock) {
        let n = nodes.count, m = other.nodes.count
        nodes.withUnsafeBufferPointer { ourNodes in
            counters.withUnsafeMutableBufferPointer { ourCounters in
                other.nodes.withUnsafeBufferPointer { theirNodes in
                    other.counters.withUnsafeBufferPointer { theirCounters in
                        if n == m && memcmpEqual(ourNodes, theirNodes) {
                            // Identical node sets (the common case between replicas): a dense max.
                            DenseClock.maximum(into: ourCounters.baseAddress.unsafelyUnwrapped,
                                               from: theirCounters.baseAddress.unsafelyUnwrapped, count: n)
                            return
                        }
                        var i = 0
                        for j in 0..<m {
                            while ourNodes[i] != theirNodes[j] { i &+= 1 }
                            let a = ourCounters[i], b = theirCounters[j]
                            ourCounters[i] = a > b ? a : b
                            i &+= 1
                        }
                    }
                }
            }
        }
    }

    @inlinable
    public func compare(_ other: SparseClock) -> CausalOrder {
        var smaller = false
        var larger = false
        nodes.withUnsafeBufferPointer { ln in
            counters.withUnsafeBufferPointer { lc in
                other.nodes.withUnsafeBufferPointer { rn in
                    other.counters.withUnsafeBufferPointer { rc in
                        let n = ln.count, m = rn.count
                        var i = 0, j = 0
                        while i < n && j < m {
                            let a = ln[i], b = rn[j]
                            if a < b {
                                larger = true; i &+= 1
                            } else if a > b {
                                smaller = true; j &+= 1
                            } else {
                                smaller = smaller || lc[i] < rc[j]
                                larger = larger || lc[i] > rc[j]
                                i &+= 1; j &+= 1
                            }
                            if smaller && larger { return }
                        }
                        if i < n { larger = true }
                        if j < m { smaller = true }
                    }
                }
            }
        }
        return CausalOrder(leftSmaller: smaller, leftLarger: larger)
    }

    @inlinable
    public mutating func assign(_ other: SparseClock) {
        nodes.removeAll(keepingCapacity: true)
        counters.removeAll(keepingCapacity: true)
        nodes.append(contentsOf: other.nodes)
        counters.append(contentsOf: other.counters)
    }

    public var entries: [(node: NodeID, counter: UInt64)] {
        (0..<nodes.count).map { (nodes[$0], counters[$0]) }
    }

    /// Encoding: entry count, then (node delta, counter) per entry, all varints.
    public var encodedSize: Int { PairEncoding.size(entries) }

    public func encode(into buffer: inout [UInt8]) { PairEncoding.encode(entries, into: &buffer) }

    public init(decoding bytes: [UInt8]) throws {
        let decoded = try PairEncoding.decode(bytes)
        nodes = ContiguousArray(decoded.map(\.node))
        counters = ContiguousArray(decoded.map(\.counter))
    }

    public static func == (lhs: SparseClock, rhs: SparseClock) -> Bool {
        lhs.nodes == rhs.nodes && lhs.counters == rhs.counters
    }
}

@inlinable @inline(__always)
func memcmpEqual(_ a: UnsafeBufferPointer<NodeID>, _ b: UnsafeBufferPointer<NodeID>) -> Bool {
    var i = 0
    var differ: NodeID = 0
    while i < a.count { differ |= a[i] ^ b[i]; i &+= 1 }
    return differ == 0
}
