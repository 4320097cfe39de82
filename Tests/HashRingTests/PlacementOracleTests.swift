import Foundation
import Testing
@testable import HashRing
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
        return winner(mixed.indices.map { logarithmicScore(weight: weights[$0], mixed: mixed[$0]) })
    }

    /// u in (0, 1) from the 53 high bits of a mixed hash, never 0 or 1 (the
    /// top step, which rounds to 1.0, is the largest double below 1).
    static func unitInterval(_ mixed: UInt64) -> Double {
        let u = (Double(mixed >> 11) + 0.5) * 0x1p-53
        return u < 1 ? u : 1.0.nextDown
    }

    /// The logarithmic method's score w / −ln(u): −ln(u) / w is exponential
    /// with rate w, so the highest score (the smallest of the exponentials)
    /// goes to node i with probability w_i / Σ w.
    static func logarithmicScore(weight: Double, mixed: UInt64) -> Double { weight / -log(unitInterval(mixed)) }

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

        /// Each step moves into a strictly smaller snapshot, so at most
        /// `capacity` steps; the cap only guards the oracle against itself.
        func bucket(keyHash: UInt64) -> Int {
            var b = Int(keyHash.multipliedFullWidth(by: UInt64(capacity)).high)
            var steps = 0
            while let set = snapshot[b] {
                steps += 1
                precondition(steps <= capacity, "the oracle's snapshots form a cycle")
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

    /// The weighted score's uniform value stays strictly inside (0, 1) at both
    /// ends of the hash range: at 1.0, −log u is 0 and the node with the
    /// largest possible hash would score −∞ instead of winning.
    @Test func rendezvousUnitValueIsStrictlyInsideTheInterval() {
        for hash: UInt64 in [0, 1, 1 << 11, .max >> 1, .max - (1 << 11), .max] {
            let u = Rendezvous.unitInterval(hash)
            #expect(u > 0 && u < 1, "hash \(hash): u = \(u)")
            #expect((1.0 / -Foundation.log(u)).isFinite, "hash \(hash)")
        }
        // Every hash below the top step keeps the value it had before the clamp.
        #expect(Rendezvous.unitInterval(.max - (1 << 11)) == (Double((UInt64.max - (1 << 11)) >> 11) + 0.5) * 0x1p-53)
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

    /// The oracle's weighted score against a computation that shares none of
    /// its arithmetic. Efraimidis & Spirakis (2006) weighted sampling: the item
    /// with the largest u^(1/w) is drawn with probability w / Σ w; since
    /// u^(1/w) = exp(ln(u) / w) and w / −ln(u) = −1 / (ln(u) / w), both
    /// rank nodes alike, so the winners must agree key by key.
    @Test func weightedOracleAgreesWithEfraimidisSpirakisKeys() {
        let weights = (0..<37).map { Double($0 % 5 + 1) / 2 }
        for key in Self.keys {
            let h = XXHash64.hash(key)
            let keys = Self.names.indices.map { i in
                pow(Self.unitInterval(Self.splitMix(h ^ XXHash64.hash(Self.names[i]))), 1 / weights[i])
            }
            let expected = keys.indices.max { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 > $1) }!
            #expect(Self.rendezvousOracle(Self.names, weights: weights, keyHash: h) == expected, "key \(key)")
        }
    }

    /// Known answers for the score by hand: the top bit alone gives
    /// u = (2^52 + ½) · 2^−53, which rounds to ½ exactly, so the score is
    /// w / ln 2; the zero hash gives u = ½ · 2^−53 = 2^−54, so w / (54 ln 2).
    /// Then the closed-form share w_i / Σ w of the oracle itself over 60 000
    /// uniform hashes with weights 1 : 2 : 3, within 5 σ of the binomial.
    @Test func weightedOracleScoreAndSharesHaveTheClosedForm() {
        #expect(Self.unitInterval(1 << 63) == 0.5)
        #expect(Self.unitInterval(0) == 0x1p-54)
        #expect(abs(Self.logarithmicScore(weight: 3, mixed: 1 << 63) - 3 / M_LN2) < 1e-14)
        #expect(abs(Self.logarithmicScore(weight: 2, mixed: 0) - 2 / (54 * M_LN2)) < 1e-15)
        var counts = [0, 0, 0]
        var rng = Xoshiro256StarStar(seed: 9)
        let m = 60_000
        for _ in 0..<m { counts[Self.rendezvousOracle(["a", "b", "c"], weights: [1, 2, 3], keyHash: rng.next())] += 1 }
        for (i, share) in [1.0 / 6, 2.0 / 6, 3.0 / 6].enumerated() {
            let sigma = (share * (1 - share) / Double(m)).squareRoot()
            #expect(abs(Double(counts[i]) / Double(m) - share) < 5 * sigma, "oracle node \(i): \(counts[i]) of \(m), expected \(share)")
        }
    }

    @Test func multiProbeMatchesTheNaiveProbes() {
        let ring = MultiProbe(nodes: Self.names)
        for key in Self.keys {
            let h = XXHash64.hash(key)
            #expect(ring.node(forKeyHash: h) == Self.multiProbeOracle(Self.names, probes: MultiProbe.defaultProbes, keyHash: h))
        }
    }

    /// Why GETBUCKET terminates, checked with bounded loops before it is
    /// called: its outer loop moves to a bucket with a strictly smaller A (or
    /// a working one), so it ends on its own; the inner K chain (`while
    /// A[h] ≥ A[b]: h = K[h]`) ends only if, from every start below A[b] of
    /// every removed b, K leads within `capacity` steps to a bucket with
    /// A < A[b]. A broken REMOVEBUCKET that makes a K chain cycle would hang
    /// the lookup; this fails instead. Returns a description of the first
    /// cycle, or nil.
    static func anchorChainCycle(_ anchor: AnchorHash) -> String? {
        let a = anchor.a, k = anchor.k
        for b in a.indices where a[b] > 0 {
            let size = a[b]
            for start in 0..<Int(size) {
                var h = start, steps = 0
                while a[h] >= size {
                    steps += 1
                    if steps > a.count { return "removed bucket \(b) (A = \(size)): the K chain from \(start) does not leave A ≥ \(size) in \(a.count) steps" }
                    h = Int(k[h])
                }
            }
        }
        return nil
    }

    @Test func anchorHashMatchesAlgorithmTwoThroughRemovalsAndAdds() {
        var anchor = AnchorHash(capacity: 64, working: 37)
        var oracle = AnchorOracle(capacity: 64, working: 37)
        func agree(_ step: String) {
            if let cycle = Self.anchorChainCycle(anchor) {
                Issue.record("\(step): GETBUCKET would not terminate: \(cycle)")
                return
            }
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
