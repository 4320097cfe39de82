import Foundation
import Testing
import HashRing
import Hashing
import Stats

/// Known answers from independent implementations written here from the
/// papers' definitions, naively (linear scans, explicit snapshots), so a
/// fast path in HashRing that drifts from its definition — a wrong binary
/// search, a tie broken the other way, a K chain that skips a bucket —
/// disagrees with them. The golden fingerprints in PlacementPropertyTests
/// only say the mapping did not change; these say it is the right one.
@Suite struct PlacementOracleTests {
    static let names = (0..<37).map { "node-\($0)" }

    /// SplitMix64's output function (Steele, Lea & Flood 2014), written out
    /// here rather than taken from HashRing.
    static func splitMix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    static let keys: [UInt64] = {
        var rng = Xoshiro256StarStar(seed: 2_024)
        return (0..<2_000).map { _ in rng.next() }
    }()

    /// Karger et al.: a key belongs to the first token clockwise from its hash
    /// (at or after it, wrapping past 2^64), tokens xxHash64("name#v");
    /// two tokens at one position go to the lower ordinal.
    static func tokenRingOracle(_ names: [String], virtualNodes: Int, keyHash: UInt64) -> Int {
        var best: (distance: UInt64, owner: Int)? = nil
        for (owner, name) in names.enumerated() {
            for v in 0..<virtualNodes {
                let distance = XXHash64.hash("\(name)#\(v)") &- keyHash
                if best == nil || distance < best!.distance || (distance == best!.distance && owner < best!.owner) {
                    best = (distance, owner)
                }
            }
        }
        return best!.owner
    }

    /// Thaler & Ravishankar: the node with the highest score for the key;
    /// weighted, Schindelhauer & Schomaker's logarithmic method w / −ln(u).
    static func rendezvousOracle(_ names: [String], weights: [Double]?, keyHash: UInt64) -> Int {
        let mixed = names.map { splitMix(keyHash ^ XXHash64.hash($0)) }
        // The highest score wins; on a tie, the first node.
        func winner<S: Comparable>(_ scores: [S]) -> Int {
            scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }!
        }
        guard let weights else { return winner(mixed) }
        // u in (0, 1) from the 53 high bits, never 0.
        return winner(mixed.indices.map { weights[$0] / -log((Double(mixed[$0] >> 11) + 0.5) * 0x1p-53) })
    }

    /// Appleton & O'Reilly: k probes (SplitMix64 of the key hash); each finds
    /// the nearest node point clockwise; the closest of those wins.
    static func multiProbeOracle(_ names: [String], probes: Int, keyHash: UInt64) -> Int {
        let points = names.map { XXHash64.hash($0) }
        var best: (distance: UInt64, owner: Int)? = nil
        var state = keyHash
        for _ in 0..<probes {
            state &+= 0x9E37_79B9_7F4A_7C15
            let probe = splitMix(state)
            for (owner, point) in points.enumerated() {
                let distance = point &- probe
                if best == nil || distance < best!.distance || (distance == best!.distance && owner < best!.owner) {
                    best = (distance, owner)
                }
            }
        }
        return best!.owner
    }

    /// AnchorHash, the paper's Algorithm 2 form: every removed bucket keeps a
    /// copy of the ordered working set as it was right after its removal
    /// (W_b), and a key that lands on a removed bucket b is rehashed into
    /// W_b. CAPLab implements Algorithm 3, which replaces the copies by the
    /// K replacement chains; both must give the same bucket.
    struct AnchorOracle {
        var working: [Int]
        var snapshot: [Int: [Int]] = [:]
        let capacity: Int

        init(capacity: Int, working count: Int) {
            self.capacity = capacity
            working = Array(0..<capacity)
            // INITANCHOR removes capacity−1 down to `count`, each from the end.
            for b in stride(from: capacity - 1, through: count, by: -1) { remove(b) }
        }

        mutating func remove(_ b: Int) {
            let position = working.firstIndex(of: b)!
            working[position] = working[working.count - 1]
            working.removeLast()
            snapshot[b] = working
        }

        func bucket(keyHash: UInt64) -> Int {
            var b = Int(keyHash.multipliedFullWidth(by: UInt64(capacity)).high)
            while let set = snapshot[b] {
                let z = PlacementOracleTests.splitMix(keyHash ^ (UInt64(b) &+ 1) &* 0x9E37_79B9_7F4A_7C15)
                b = set[Int(z.multipliedFullWidth(by: UInt64(set.count)).high)]
            }
            return b
        }
    }

    @Test func tokenRingMatchesTheNaiveRing() {
        let ring = TokenRing(nodes: Self.names, virtualNodes: 16)
        for key in Self.keys {
            let h = XXHash64.hash(key)
            #expect(ring.node(forKeyHash: h) == Self.tokenRingOracle(Self.names, virtualNodes: 16, keyHash: h), "key \(key)")
        }
    }

    @Test func rendezvousMatchesTheNaiveScores() {
        let weights = (0..<37).map { Double($0 % 3 + 1) }
        let plain = Rendezvous(nodes: Self.names), weighted = Rendezvous(nodes: Self.names, weights: weights)
        for key in Self.keys {
            let h = XXHash64.hash(key)
            #expect(plain.node(forKeyHash: h) == Self.rendezvousOracle(Self.names, weights: nil, keyHash: h))
            #expect(weighted.node(forKeyHash: h) == Self.rendezvousOracle(Self.names, weights: weights, keyHash: h))
        }
    }

    /// The logarithmic method's promise (Schindelhauer & Schomaker 2005):
    /// each node's share is its weight over the total.
    @Test func weightedRendezvousSharesFollowTheWeights() {
        let ring = Rendezvous(nodes: ["a", "b", "c"], weights: [1, 2, 3])
        var counts = [0, 0, 0]
        var rng = Xoshiro256StarStar(seed: 5)
        let m = 60_000
        for _ in 0..<m { counts[ring.node(for: rng.next())] += 1 }
        for (i, target) in [1.0 / 6, 2.0 / 6, 3.0 / 6].enumerated() {
            let sigma = (target * (1 - target) / Double(m)).squareRoot()
            #expect(abs(Double(counts[i]) / Double(m) - target) < 5 * sigma, "node \(i): \(counts[i]) of \(m)")
        }
    }

    @Test func multiProbeMatchesTheNaiveProbes() {
        let ring = MultiProbe(nodes: Self.names)
        for key in Self.keys {
            let h = XXHash64.hash(key)
            #expect(ring.node(forKeyHash: h) == Self.multiProbeOracle(Self.names, probes: MultiProbe.defaultProbes, keyHash: h))
        }
    }

    @Test func anchorHashMatchesAlgorithmTwoThroughRemovalsAndAdds() {
        var anchor = AnchorHash(capacity: 64, working: 37)
        var oracle = AnchorOracle(capacity: 64, working: 37)
        func agree(_ step: String) {
            let wrong = Self.keys.filter { anchor.node(forKeyHash: XXHash64.hash($0)) != oracle.bucket(keyHash: XXHash64.hash($0)) }
            #expect(wrong.isEmpty, "\(step): \(wrong.count) of \(Self.keys.count) keys differ")
        }
        agree("built")
        var rng = Xoshiro256StarStar(seed: 17)
        var removed: [Int] = []
        for _ in 0..<8 {
            let b = oracle.working[Int(rng.next() % UInt64(oracle.working.count))]
            anchor.removeBucket(b)
            oracle.remove(b)
            removed.append(b)
            agree("removed \(removed)")
        }
        // Adding brings back the last removed bucket: the oracle undoes its removal.
        for _ in 0..<3 {
            let b = anchor.addBucket()
            #expect(b == removed.removeLast())
            oracle = AnchorOracle(capacity: 64, working: 37)
            for r in removed { oracle.remove(r) }
            agree("added \(b) back")
        }
    }
}
