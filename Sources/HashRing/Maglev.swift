import Hashing

/// Maglev hashing (Eisenbud et al., "Maglev: A Fast and Reliable Software
/// Network Load Balancer", NSDI 2016, §3.4).
///
/// Each node has a permutation of the table slots 0..<M given by an offset
/// and a skip derived from two hashes of its name:
/// `permutation[j] = (offset + j·skip) mod M`, with M prime so every skip
/// visits every slot. The population loop lets the nodes take turns, each
/// claiming the next slot of its permutation not yet taken, until the table
/// is full; every node ends with ⌊M/n⌋ or ⌈M/n⌉ slots. A lookup is one
/// table read. Maglev trades strict minimal disruption for balance: when a
/// node is removed a few keys also move between surviving nodes (the paper
/// measures this; it is not zero).
///
/// Lookup maps the key hash onto the table with a multiply-shift
/// (`PlacementMix.reduce`) rather than the paper's `hash mod M`; both are
/// uniform, the multiply is cheaper than a division.
///
/// - Complexity: lookup O(1), one read, no allocation; build O(M log M)
///   expected (O(M·n) worst case); memory 4·M bytes.
public struct Maglev: ConsistentHash {
    public static var algorithm: String { "maglev" }

    /// The paper's default lookup-table size (a prime).
    public static let defaultTableSize = 65_537

    public let nodeCount: Int
    public let tableSize: Int
    /// `table[slot]` is the node ordinal that owns the slot.
    @usableFromInline let table: ContiguousArray<UInt32>

    /// A table for the named nodes; offset and skip come from xxHash64 of the
    /// name under two seeds, as the paper's two independent hashes.
    /// - Precondition: names distinct and non-empty; `tableSize` prime and > nodes.count.
    public init(nodes: [String], tableSize: Int = Maglev.defaultTableSize) {
        precondition(Set(nodes).count == nodes.count, "node names must be distinct")
        self.init(permutations: nodes.map { Maglev.permutation(for: $0, tableSize: tableSize) }, tableSize: tableSize)
    }

    /// A node's (offset, skip): xxHash64 of its name under two seeds, reduced mod M and mod M−1 (+1).
    public static func permutation(for name: String, tableSize: Int) -> (offset: Int, skip: Int) {
        let m = UInt64(tableSize)
        return (offset: Int(XXHash64.hash(name, seed: 0x6F66_6673_6574) % m),
                skip: Int(XXHash64.hash(name, seed: 0x736B_6970) % (m - 1)) + 1)
    }

    /// A table from explicit (offset, skip) pairs, one per node in ordinal
    /// order: the paper's worked example gives these directly.
    /// - Precondition: at least one node; `tableSize` prime and > node count;
    ///   offsets in 0..<M, skips in 1..<M.
    public init(permutations: [(offset: Int, skip: Int)], tableSize: Int) {
        precondition(!permutations.isEmpty, "maglev needs at least one node")
        precondition(Maglev.isPrime(tableSize), "maglev's table size must be prime")
        precondition(tableSize > permutations.count, "maglev's table must have more slots than nodes")
        precondition(permutations.allSatisfy { (0..<tableSize).contains($0.offset) && (1..<tableSize).contains($0.skip) },
                     "offset must be in 0..<M and skip in 1..<M")
        nodeCount = permutations.count
        self.tableSize = tableSize
        table = Maglev.populate(permutations, tableSize: tableSize)
    }

    /// The population loop of the paper's Pseudocode 1.
    static func populate(_ permutations: [(offset: Int, skip: Int)], tableSize m: Int) -> ContiguousArray<UInt32> {
        let empty = UInt32.max
        var entry = ContiguousArray<UInt32>(repeating: empty, count: m)
        // next[i]: how far node i has gone along its permutation; position is offset + next·skip mod M,
        // tracked incrementally to avoid the multiply.
        var position = permutations.map(\.offset)
        var filled = 0
        while true {
            for (i, p) in permutations.enumerated() {
                var c = position[i]
                while entry[c] != empty {
                    c += p.skip
                    if c >= m { c -= m }
                }
                entry[c] = UInt32(i)
                c += p.skip
                if c >= m { c -= m }
                position[i] = c
                filled += 1
                if filled == m { return entry }
            }
        }
    }

    /// The smallest prime ≥ max(65 537, 100·nodes): the paper keeps M > 100·N
    /// so that node shares differ by under about 1 %.
    public static func tableSize(forNodes nodes: Int) -> Int {
        var m = max(defaultTableSize, 100 * nodes)
        while !isPrime(m) { m += 1 }
        return m
    }

    static func isPrime(_ n: Int) -> Bool {
        if n < 2 { return false }
        if n % 2 == 0 { return n == 2 }
        var d = 3
        while d * d <= n {
            if n % d == 0 { return false }
            d += 2
        }
        return true
    }

    /// Bytes the lookup table occupies.
    public var memoryBytes: Int { tableSize * MemoryLayout<UInt32>.stride }

    /// The node owning each slot, in slot order (for tests and tools).
    public var slots: [Int] { table.map(Int.init) }

    @inlinable
    public func node(forKeyHash keyHash: UInt64) -> Int {
        table.withUnsafeBufferPointer { Int($0[PlacementMix.reduce(keyHash, $0.count)]) }
    }
}
