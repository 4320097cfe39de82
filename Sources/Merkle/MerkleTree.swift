/// A Merkle tree over a key space split into `shape.leafCount` hash ranges
/// (Merkle, "A Digital Signature Based on a Conventional Encryption
/// Function", CRYPTO 1987; used for anti-entropy by Dynamo, SOSP 2007 §4.7).
/// Two replicas compare roots, then children of differing nodes, down to the
/// leaf ranges whose keys must be exchanged.
///
/// Nodes are stored level by level in one flat array: the root at 0, level
/// l's nodes from `levelStart(l)`, node i's children at level l + 1 are
/// `i·fanout ..< (i+1)·fanout`.
public protocol MerkleTree: Sendable {
    associatedtype Hash: MerkleHashFunction
    typealias Digest = Hash.Digest
    /// Short variant name used in CSV rows (`rebuilt`, `xor`).
    static var scheme: String { get }
    var shape: TreeShape { get }
    /// Every node, level by level.
    var nodes: ContiguousArray<Digest> { get }
}

extension MerkleTree {
    public var root: Digest { nodes[0] }

    /// The index in `nodes` of level l's first node.
    @inlinable public func levelStart(_ level: Int) -> Int {
        // (fanout^level − 1) / (fanout − 1), the size of the levels above.
        ((1 << (shape.fanoutBits * level)) - 1) / (shape.fanout - 1)
    }

    @inlinable public func digest(level: Int, index: Int) -> Digest {
        nodes[levelStart(level) &+ index]
    }

    /// Bytes of node digests held.
    public var memoryBytes: Int { nodes.count * Digest.byteCount }

    /// `rebuilt-sha256`, `xor-xxh64`, …
    public static var variantName: String { "\(scheme)-\(Hash.name)" }
}
