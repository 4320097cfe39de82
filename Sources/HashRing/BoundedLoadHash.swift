import Foundation

/// Consistent hashing with bounded loads (Mirrokni, Thorup & Zadimoghaddam,
/// "Consistent Hashing with Bounded Loads", SODA 2018).
///
/// A token ring whose nodes have a capacity: with m keys placed, no node may
/// hold more than ⌈(1+ε)·m/n⌉. A key goes to the first node clockwise from
/// its hash that is below capacity. Where a key lands therefore depends on
/// the current loads, so this is modelled as *assign with capacity*:
/// ``place(keyHash:)`` assigns a key and records the load,
/// ``node(forKeyHash:)`` answers where a key arriving now would go, and
/// ``remove(fromNode:)`` releases one unit of load. The paper bounds the
/// maximum load by construction and the expected keys moved per change by
/// O(1/ε²) times the unconstrained ring's; it does not promise that
/// removing a node moves only that node's keys (full nodes push keys on).
///
/// - Complexity: lookup O(log(n·v)) plus a walk past full nodes, expected
///   O(1/ε) steps for ε ≤ 1 (the paper's bound is O(1/ε²) for insertions);
///   no allocation; memory 12·n·v + 4·n bytes.
public struct BoundedLoadHash: ConsistentHash {
    public static var algorithm: String { "bounded-load" }

    public let ring: TokenRing
    public let epsilon: Double
    @usableFromInline var loads: ContiguousArray<Int32>
    /// Keys currently placed.
    public private(set) var placed: Int

    /// - Precondition: ε > 0; names as for ``TokenRing``.
    public init(nodes: [String], virtualNodes: Int, epsilon: Double) {
        precondition(epsilon > 0 && epsilon.isFinite, "bounded loads needs ε > 0")
        ring = TokenRing(nodes: nodes, virtualNodes: virtualNodes)
        self.epsilon = epsilon
        loads = ContiguousArray(repeating: 0, count: nodes.count)
        placed = 0
    }

    public var nodeCount: Int { ring.nodeCount }

    /// The capacity a node has when the next key arrives: ⌈(1+ε)·(m+1)/n⌉.
    @inlinable
    public var capacity: Int {
        Int(((1 + epsilon) * Double(placed + 1) / Double(ring.nodeCount)).rounded(.up))
    }

    /// Current load of a node.
    public func load(of node: Int) -> Int { Int(loads[node]) }

    /// Bytes the lookup structures occupy.
    public var memoryBytes: Int { ring.memoryBytes + loads.count * 4 }

    /// Where a key with this hash would be placed now.
    @inlinable
    public func node(forKeyHash keyHash: UInt64) -> Int {
        let cap = Int32(truncatingIfNeeded: capacity)
        return ring.tokens.withUnsafeBufferPointer { tokens in
            ring.owners.withUnsafeBufferPointer { owners in
                loads.withUnsafeBufferPointer { loads in
                    var index = TokenRing.firstIndex(atOrAfter: keyHash, in: tokens)
                    while true {
                        let owner = Int(owners[index])
                        if loads[owner] < cap { return owner }
                        index &+= 1
                        if index == tokens.count { index = 0 }
                    }
                }
            }
        }
    }

    /// Assigns a key: the node it lands on takes one more unit of load.
    @discardableResult
    public mutating func place(keyHash: UInt64) -> Int {
        let node = node(forKeyHash: keyHash)
        loads[node] += 1
        placed += 1
        return node
    }

    /// Releases one key from `node`.
    /// - Precondition: the node holds at least one key.
    public mutating func remove(fromNode node: Int) {
        precondition(loads[node] > 0, "node \(node) holds no keys")
        loads[node] -= 1
        placed -= 1
    }
}
