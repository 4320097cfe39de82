import Foundation
import Hashing

/// Rendezvous or highest-random-weight hashing (Thaler & Ravishankar,
/// "Using name-based mappings to increase hit rates", IEEE/ACM ToN 1998),
/// weighted by the logarithmic method (Schindelhauer & Schomaker,
/// "Weighted distributed hash tables", SPAA 2005).
///
/// Every node has a seed, xxHash64 of its name. A key scores each node with
/// `u = mix(keyHash ^ seed)` read as a number in (0, 1); unweighted, the
/// node with the largest `u` wins; weighted, the node with the largest
/// `w / −ln u` wins, which gives node i the fraction `w_i / Σw` of the keys.
/// Removing a node moves exactly its keys, adding one takes keys only from
/// the others onto it: every other node's score is unchanged.
///
/// - Complexity: lookup O(n) (one mix per node, plus one `log` per node when
///   weighted), no allocation; build O(n); memory 8·n bytes (16·n weighted).
public struct Rendezvous: ConsistentHash {
    public static var algorithm: String { "rendezvous" }

    public let nodeCount: Int
    @usableFromInline let seeds: ContiguousArray<UInt64>
    @usableFromInline let weights: ContiguousArray<Double>
    /// False when all weights are equal: then the `log` is skipped (same winner).
    public let isWeighted: Bool

    /// - Precondition: at least one node, names distinct; weights (if given)
    ///   one per node, finite and positive.
    public init(nodes: [String], weights: [Double]? = nil) {
        precondition(!nodes.isEmpty, "rendezvous hashing needs at least one node")
        precondition(Set(nodes).count == nodes.count, "node names must be distinct")
        let weights = weights ?? Array(repeating: 1, count: nodes.count)
        precondition(weights.count == nodes.count, "one weight per node")
        precondition(weights.allSatisfy { $0.isFinite && $0 > 0 }, "weights must be positive")
        nodeCount = nodes.count
        seeds = ContiguousArray(nodes.map { XXHash64.hash($0) })
        self.weights = ContiguousArray(weights)
        isWeighted = Set(weights).count > 1
    }

    /// Bytes the lookup structures occupy.
    public var memoryBytes: Int { seeds.count * 8 + (isWeighted ? weights.count * 8 : 0) }

    /// A hash as a uniform value strictly inside (0, 1): its 53 high bits,
    /// offset by half a step so it is never 0. The largest hash would round to
    /// exactly 1.0 (where −log u = 0 and the weighted score is not finite), so
    /// it is pulled down one step; every other hash keeps its value.
    /// - Complexity: O(1).
    @inlinable
    static func unitInterval(_ hash: UInt64) -> Double {
        min((Double(hash &>> 11) + 0.5) * 0x1p-53, 1.0.nextDown)
    }

    @inlinable
    public func node(forKeyHash keyHash: UInt64) -> Int {
        seeds.withUnsafeBufferPointer { seeds in
            var best = 0
            if !isWeighted {
                var bestScore: UInt64 = 0
                for i in 0..<seeds.count {
                    let score = PlacementMix.mix(keyHash ^ seeds[i])
                    if score > bestScore || i == 0 { bestScore = score; best = i }
                }
                return best
            }
            return weights.withUnsafeBufferPointer { weights in
                var bestScore = -Double.infinity
                for i in 0..<seeds.count {
                    let u = Self.unitInterval(PlacementMix.mix(keyHash ^ seeds[i]))
                    let score = weights[i] / -Foundation.log(u)
                    if score > bestScore { bestScore = score; best = i }
                }
                return best
            }
        }
    }
}
