import Hashing

/// The classic consistent-hash ring of Karger et al. (STOC 1997) with virtual
/// nodes, as in Dynamo (DeCandia et al., SOSP 2007) and Cassandra.
///
/// Each node places `virtualNodes` tokens on a 64-bit circle at
/// `xxHash64("<name>#<i>")`; a key belongs to the owner of the first token at
/// or clockwise after its hash, wrapping past the largest token to the
/// smallest. More virtual nodes give a more even load at the cost of memory
/// and a longer binary search.
///
/// Tokens and owners are kept in two parallel arrays so the binary search
/// touches only the 8-byte tokens.
///
/// - Complexity: lookup O(log(n·v)), no allocation; build O(n·v·log(n·v));
///   memory 12·n·v bytes.
public struct TokenRing: ConsistentHash {
    public static var algorithm: String { "token-ring" }

    public let nodeCount: Int
    public let virtualNodes: Int
    /// Token positions, ascending.
    @usableFromInline let tokens: ContiguousArray<UInt64>
    /// `owners[i]` is the node ordinal that placed `tokens[i]`.
    @usableFromInline let owners: ContiguousArray<UInt32>

    /// A ring of the named nodes, each with `virtualNodes` tokens.
    /// - Precondition: at least one node, names distinct, virtualNodes ≥ 1.
    public init(nodes: [String], virtualNodes: Int) {
        precondition(!nodes.isEmpty, "a ring needs at least one node")
        precondition(virtualNodes >= 1, "a ring needs at least one token per node")
        precondition(Set(nodes).count == nodes.count, "node names must be distinct")
        var placed: [(token: UInt64, owner: UInt32)] = []
        placed.reserveCapacity(nodes.count * virtualNodes)
        for (ordinal, name) in nodes.enumerated() {
            for v in 0..<virtualNodes {
                placed.append((XXHash64.hash("\(name)#\(v)"), UInt32(ordinal)))
            }
        }
        self.init(placed: placed, nodeCount: nodes.count, virtualNodes: virtualNodes)
    }

    /// A ring with explicitly placed tokens (for tests and for importing a
    /// real cluster's token map). Owners must lie in 0..<nodeCount.
    public init(tokens: [(token: UInt64, owner: Int)], nodeCount: Int) {
        precondition(!tokens.isEmpty, "a ring needs at least one token")
        precondition(tokens.allSatisfy { $0.owner >= 0 && $0.owner < nodeCount }, "token owner out of range")
        self.init(
            placed: tokens.map { ($0.token, UInt32($0.owner)) },
            nodeCount: nodeCount,
            virtualNodes: max(1, tokens.count / nodeCount))
    }

    private init(placed: [(token: UInt64, owner: UInt32)], nodeCount: Int, virtualNodes: Int) {
        // Ties (two tokens at one position) go to the lower ordinal so every process builds the same ring.
        let sorted = placed.sorted { $0.token != $1.token ? $0.token < $1.token : $0.owner < $1.owner }
        self.nodeCount = nodeCount
        self.virtualNodes = virtualNodes
        tokens = ContiguousArray(sorted.map(\.token))
        owners = ContiguousArray(sorted.map(\.owner))
    }

    /// Number of tokens on the ring (nodes × virtual nodes).
    public var tokenCount: Int { tokens.count }

    /// Bytes the lookup structures occupy.
    public var memoryBytes: Int { tokens.count * (MemoryLayout<UInt64>.stride + MemoryLayout<UInt32>.stride) }

    @inlinable
    public func node(forKeyHash keyHash: UInt64) -> Int {
        let index = tokens.withUnsafeBufferPointer { TokenRing.firstIndex(atOrAfter: keyHash, in: $0) }
        return owners.withUnsafeBufferPointer { Int($0[index]) }
    }

    /// Index of the first token ≥ `hash`, wrapping to 0 past the last token.
    /// A branch-free lower bound: the loop runs ⌈log2 n⌉ times whatever the key.
    @inlinable
    static func firstIndex<T: FixedWidthInteger & UnsignedInteger>(atOrAfter hash: T, in tokens: UnsafeBufferPointer<T>) -> Int {
        var base = 0
        var length = tokens.count
        while length > 1 {
            let half = length &>> 1
            base = tokens[base &+ half] < hash ? base &+ half : base
            length &-= half
        }
        let index = base &+ (tokens[base] < hash ? 1 : 0)
        return index == tokens.count ? 0 : index
    }
}
