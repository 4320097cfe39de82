/// A version vector stored as contiguous counters indexed by node ordinal:
/// the representation for a fixed, small-numbered set of writers.
///
/// Merge is a single pass of element-wise maximum over two arrays, written
/// so the optimiser can unroll and vectorise it; merging into a clock that
/// already has room for the other's nodes never allocates. The cost is
/// paid in space: a clock that has heard from node 4 000 holds 4 001
/// counters, zeros included.
///
/// - Complexity: `merge` and `compare` O(max(n, m)) with no allocation when
///   the receiver's capacity covers the other's length; `increment` O(1)
///   amortised; `counter(for:)` O(1).
public struct DenseClock: CausalClock {
    public static let representation = "dense"

    /// Counter of node `i` at index `i`; indices past the end are 0.
    @usableFromInline
    var counters: ContiguousArray<UInt64>

    @inlinable
    public init() { counters = [] }

    /// An empty clock with room for `nodeCount` nodes, so merges up to that size never allocate.
    @inlinable
    public init(capacity nodeCount: Int) {
        counters = []
        counters.reserveCapacity(nodeCount)
    }

    /// The clock whose counter for node `i` is `counters[i]`.
    @inlinable
    public init(counters: some Sequence<UInt64>) {
        self.counters = ContiguousArray(counters)
    }

    public init(entries: some Sequence<(node: NodeID, counter: UInt64)>) {
        counters = []
        for (node, counter) in entries where counter > 0 {
            let index = Int(node)
            if index >= counters.count { counters.append(contentsOf: repeatElement(0, count: index + 1 - counters.count)) }
            counters[index] = counter
        }
    }

    /// Number of counter slots held (the highest node ordinal seen + 1, at least).
    @inlinable
    public var slotCount: Int { counters.count }

    @inlinable
    public func counter(for node: NodeID) -> UInt64 {
        let index = Int(node)
        return index < counters.count ? counters[index] : 0
    }

    @inlinable
    public mutating func increment(_ node: NodeID) {
        let index = Int(node)
        if index >= counters.count {
            counters.append(contentsOf: repeatElement(0, count: index &+ 1 &- counters.count))
        }
        counters[index] &+= 1
    }

    @inlinable
    public mutating func merge(_ other: DenseClock) {
        let length = other.counters.count
        if length == 0 { return }
        if counters.count < length {
            counters.append(contentsOf: repeatElement(0, count: length &- counters.count))
        }
        counters.withUnsafeMutableBufferPointer { target in
            other.counters.withUnsafeBufferPointer { source in
                DenseClock.maximum(into: target.baseAddress.unsafelyUnwrapped,
                                   from: source.baseAddress.unsafelyUnwrapped, count: length)
            }
        }
    }

    /// `target[i] = max(target[i], source[i])` for `i < count`: a branch-free
    /// loop the optimiser unrolls (and vectorises where the target has an
    /// unsigned 64-bit max or compare instruction).
    @inlinable @inline(__always)
    static func maximum(into target: UnsafeMutablePointer<UInt64>, from source: UnsafePointer<UInt64>, count: Int) {
        var i = 0
        while i < count {
            let t = target[i]
            let s = source[i]
            target[i] = s > t ? s : t
            i &+= 1
        }
    }

    @inlinable
    public func compare(_ other: DenseClock) -> CausalOrder {
        let common = Swift.min(counters.count, other.counters.count)
        var smaller = false
        var larger = false
        counters.withUnsafeBufferPointer { left in
            other.counters.withUnsafeBufferPointer { right in
                // Flags are accumulated without branches over blocks of 32
                // slots; concurrency is checked once per block so the scan can stop early.
                var start = 0
                while start < common {
                    let end = Swift.min(start &+ 32, common)
                    var i = start
                    while i < end {
                        smaller = smaller || left[i] < right[i]
                        larger = larger || left[i] > right[i]
                        i &+= 1
                    }
                    if smaller && larger { return }
                    start = end
                }
                if !larger {
                    var i = common
                    while i < left.count { if left[i] != 0 { larger = true; break }; i &+= 1 }
                }
                if !smaller {
                    var i = common
                    while i < right.count { if right[i] != 0 { smaller = true; break }; i &+= 1 }
                }
            }
        }
        return CausalOrder(leftSmaller: smaller, leftLarger: larger)
    }

    @inlinable
    public mutating func assign(_ other: DenseClock) {
        counters.removeAll(keepingCapacity: true)
        counters.append(contentsOf: other.counters)
    }

    public var entries: [(node: NodeID, counter: UInt64)] {
        counters.indices.compactMap { counters[$0] == 0 ? nil : (NodeID($0), counters[$0]) }
    }

    /// Slots up to the last non-zero counter: trailing zeros are not encoded.
    var significantCount: Int {
        var end = counters.count
        while end > 0 && counters[end - 1] == 0 { end -= 1 }
        return end
    }

    /// Encoding: the slot count, then every slot's counter (zeros included), all varints.
    public var encodedSize: Int {
        let end = significantCount
        var total = VarInt.size(UInt64(end))
        for i in 0..<end { total += VarInt.size(counters[i]) }
        return total
    }

    public func encode(into buffer: inout [UInt8]) {
        let end = significantCount
        VarInt.append(UInt64(end), to: &buffer)
        for i in 0..<end { VarInt.append(counters[i], to: &buffer) }
    }

    public init(decoding bytes: [UInt8]) throws {
        var reader = ByteReader(bytes)
        let count = try reader.count("slot count")
        guard count <= Int(NodeID.max) + 1 else {
            throw ClockDecodingError.outOfRange(field: "slot count", value: UInt64(count), offset: 0)
        }
        counters = []
        counters.reserveCapacity(count)
        for i in 0..<count { counters.append(try reader.varint("counter of node \(i)")) }
        try reader.finish()
    }

    /// Equal when every node's counter is equal; trailing zero slots do not count.
    public static func == (lhs: DenseClock, rhs: DenseClock) -> Bool {
        let common = Swift.min(lhs.counters.count, rhs.counters.count)
        for i in 0..<common where lhs.counters[i] != rhs.counters[i] { return false }
        return lhs.counters[common...].allSatisfy { $0 == 0 } && rhs.counters[common...].allSatisfy { $0 == 0 }
    }
}
