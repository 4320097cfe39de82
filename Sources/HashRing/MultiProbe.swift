import Hashing

/// Multi-probe consistent hashing (Appleton & O'Reilly, "Multi-probe
/// consistent hashing", arXiv:1505.00062, 2015).
///
/// Each node places a single point on the 64-bit circle (xxHash64 of its
/// name). A key is hashed `probes` times; each probe finds the next node
/// point clockwise, and the key goes to the node whose point is closest
/// after its probe. With k probes the peak-to-mean load is about 1 + 1/k
/// with only n points in memory, where a token ring needs about k virtual
/// nodes per node for the same balance. Removing a node moves only its keys
/// (the other probes' distances can only grow, so the winner stays);
/// adding one moves keys only onto it.
///
/// - Complexity: lookup O(k·log n), no allocation; build O(n log n);
///   memory 12·n bytes.
public struct MultiProbe: ConsistentHash {
    public static var algorithm: String { "multi-probe" }

    /// The paper's recommended probe count (peak-to-mean ≈ 1.05).
    public static let defaultProbes = 21

    public let nodeCount: Int
    public let probes: Int
    @usableFromInline let points: ContiguousArray<UInt64>
    @usableFromInline let owners: ContiguousArray<UInt32>

    /// - Precondition: at least one node, names distinct, probes ≥ 1.
    public init(nodes: [String], probes: Int = MultiProbe.defaultProbes) {
        precondition(!nodes.isEmpty, "multi-probe hashing needs at least one node")
        precondition(Set(nodes).count == nodes.count, "node names must be distinct")
        precondition(probes >= 1, "multi-probe hashing needs at least one probe")
        let placed = nodes.enumerated()
            .map { (point: XXHash64.hash($0.element), owner: UInt32($0.offset)) }
            .sorted { $0.point != $1.point ? $0.point < $1.point : $0.owner < $1.owner }
        nodeCount = nodes.count
        self.probes = probes
        points = ContiguousArray(placed.map(\.point))
        owners = ContiguousArray(placed.map(\.owner))
    }

    /// Bytes the lookup structures occupy.
    public var memoryBytes: Int { points.count * 12 }

    @inlinable
    public func node(forKeyHash keyHash: UInt64) -> Int {
        points.withUnsafeBufferPointer { points in
            owners.withUnsafeBufferPointer { owners in
                var bestDistance = UInt64.max
                var best = 0
                var seed = keyHash
                for _ in 0..<probes {
                    seed &+= PlacementMix.golden
                    let probe = PlacementMix.mix(seed)
                    let index = TokenRing.firstIndex(atOrAfter: probe, in: points)
                    // Clockwise distance; wrapping subtraction handles the wrap past 2^64.
                    let distance = points[index] &- probe
                    if distance < bestDistance {
                        bestDistance = distance
                        best = Int(owners[index])
                    }
                }
                return best
            }
        }
    }
}
