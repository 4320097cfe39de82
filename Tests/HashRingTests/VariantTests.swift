import Testing
@testable import HashRing
import Stats

@Suite struct VariantTests {
    static let keys: [UInt64] = {
        var rng = Xoshiro256StarStar(seed: 5)
        return (0..<40_000).map { _ in rng.next() }
    }()

    /// Weighted rendezvous gives node i the share w_i/Σw (Schindelhauer & Schomaker).
    @Test func weightedRendezvousMatchesTargetShares() {
        let weights: [Double] = [1, 2, 3, 4]
        let ring = Rendezvous(nodes: ["a", "b", "c", "d"], weights: weights)
        var counts = [0, 0, 0, 0]
        for key in Self.keys { counts[ring.node(for: key)] += 1 }
        for i in 0..<4 {
            let p = weights[i] / 10
            let sigma = (Double(Self.keys.count) * p * (1 - p)).squareRoot()
            #expect(abs(Double(counts[i]) - Double(Self.keys.count) * p) < 5 * sigma, "node \(i): \(counts[i])")
        }
    }

    /// Mirrokni et al.: with m keys placed no node exceeds ⌈(1+ε)m/n⌉.
    @Test(arguments: [0.1, 0.25, 1.0])
    func boundedLoadsNeverExceedCapacity(epsilon: Double) {
        var ring = BoundedLoadHash(nodes: (0..<20).map { "n\($0)" }, virtualNodes: 8, epsilon: epsilon)
        for key in Self.keys.prefix(10_000) { ring.place(keyHash: key) }
        let bound = Int(((1 + epsilon) * 10_000 / 20).rounded(.up))
        #expect((0..<20).allSatisfy { ring.load(of: $0) <= bound })
        #expect((0..<20).reduce(0) { $0 + ring.load(of: $1) } == 10_000)
        ring.remove(fromNode: ring.node(forKeyHash: 1) == 0 ? 1 : 0)
        #expect(ring.placed == 9_999)
    }

    /// Multi-probe with more probes balances better (Appleton & O'Reilly, Fig. 2).
    @Test func moreProbesBalanceBetter() {
        func peakToMean(_ probes: Int) -> Double {
            let ring = MultiProbe(nodes: (0..<50).map { "n\($0)" }, probes: probes)
            var counts = Array(repeating: 0, count: 50)
            for key in Self.keys { counts[ring.node(for: key)] += 1 }
            return Double(counts.max()!) / (Double(Self.keys.count) / 50)
        }
        #expect(peakToMean(21) < peakToMean(1))
    }

    /// With nothing removed, AnchorHash is a single reduce: uniform over 0..<n.
    @Test func anchorLookupStaysInTheWorkingSetAfterRemovals() {
        var anchor = AnchorHash(capacity: 100, working: 100)
        for b in stride(from: 0, to: 100, by: 3) { anchor.removeBucket(b) }
        #expect(anchor.nodeCount == 100 - 34)
        for key in Self.keys.prefix(5_000) { #expect(anchor.isWorking(anchor.node(for: key))) }
    }
}
