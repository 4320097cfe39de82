/// A version vector as the `[NodeID: UInt64]` dictionary many codebases
/// start with: the baseline that shows what hashing every node id costs.
///
/// - Complexity: `merge` O(m) hash lookups and inserts (allocating when the
///   table grows or is shared); `compare` O(n + m) lookups; `increment` O(1)
///   expected.
public struct DictionaryClock: CausalClock {
    public static let representation = "dictionary"

    /// Only non-zero counters are stored.
    @usableFromInline var storage: [NodeID: UInt64]

    /// The non-zero counters by node.
    public var counters: [NodeID: UInt64] { storage }

    public init() { storage = [:] }

    public init(entries: some Sequence<(node: NodeID, counter: UInt64)>) {
        storage = [:]
        for (node, counter) in entries where counter > 0 {
            precondition(storage.updateValue(counter, forKey: node) == nil, "a node may appear once in a clock")
        }
    }

    @inlinable
    public func counter(for node: NodeID) -> UInt64 { storage[node] ?? 0 }

    @inlinable
    public mutating func increment(_ node: NodeID) { storage[node, default: 0] &+= 1 }

    @inlinable
    public mutating func merge(_ other: DictionaryClock) {
        storage.merge(other.storage) { Swift.max($0, $1) }
    }

    @inlinable
    public func compare(_ other: DictionaryClock) -> CausalOrder {
        var smaller = false
        var larger = false
        for (node, mine) in storage {
            let theirs = other.storage[node] ?? 0
            if mine < theirs { smaller = true } else if mine > theirs { larger = true }
            if smaller && larger { return .concurrent }
        }
        if !smaller {
            for node in other.storage.keys where storage[node] == nil {
                smaller = true
                break
            }
        }
        return CausalOrder(leftSmaller: smaller, leftLarger: larger)
    }

    @inlinable
    public mutating func assign(_ other: DictionaryClock) {
        storage.removeAll(keepingCapacity: true)
        for (node, counter) in other.storage { storage[node] = counter }
    }

    public var entries: [(node: NodeID, counter: UInt64)] {
        storage.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The same sorted-pairs encoding as ``SparseClock`` (a dictionary's own
    /// order differs between processes, so it is sorted first).
    public var encodedSize: Int { PairEncoding.size(entries) }

    public func encode(into buffer: inout [UInt8]) { PairEncoding.encode(entries, into: &buffer) }

    public init(decoding bytes: [UInt8]) throws {
        self.init(entries: try PairEncoding.decode(bytes))
    }
}
