import Testing
@testable import HashRing
import Hashing
import Stats

@Suite struct TokenRingTests {
    /// Three tokens at 100, 200, 300 owned by nodes 0, 1, 2.
    let ring = TokenRing(tokens: [(300, 2), (100, 0), (200, 1)], nodeCount: 3)

    @Test func aKeyBelongsToTheFirstTokenAtOrAfterItsHash() {
        #expect(ring.node(forKeyHash: 0) == 0)
        #expect(ring.node(forKeyHash: 100) == 0)
        #expect(ring.node(forKeyHash: 101) == 1)
        #expect(ring.node(forKeyHash: 200) == 1)
        #expect(ring.node(forKeyHash: 250) == 2)
        #expect(ring.node(forKeyHash: 300) == 2)
    }

    @Test func hashesPastTheLastTokenWrapToTheFirst() {
        #expect(ring.node(forKeyHash: 301) == 0)
        #expect(ring.node(forKeyHash: UInt64.max) == 0)
    }

    @Test func binarySearchAgreesWithALinearScan() {
        var rng = Xoshiro256StarStar(seed: 5)
        for tokenCount in [1, 2, 3, 7, 64, 1_000] {
            let tokens = (0..<tokenCount).map { i in (token: rng.next(), owner: i % 5) }
            let ring = TokenRing(tokens: tokens, nodeCount: 5)
            let sorted = tokens.sorted { $0.token < $1.token }
            for _ in 0..<500 {
                let h = rng.next()
                let expected = (sorted.first { $0.token >= h } ?? sorted[0]).owner
                #expect(ring.node(forKeyHash: h) == expected)
            }
        }
    }

    @Test func removingANodeMovesOnlyItsOwnKeys() {
        let names = (0..<50).map { "node-\($0)" }
        let full = TokenRing(nodes: names, virtualNodes: 16)
        var without = names
        without.remove(at: 17)
        let reduced = TokenRing(nodes: without, virtualNodes: 16)
        var rng = Xoshiro256StarStar(seed: 8)
        for _ in 0..<20_000 {
            let key = rng.next()
            let before = names[full.node(for: key)]
            let after = without[reduced.node(for: key)]
            if before != "node-17" { #expect(before == after) }
        }
    }

    @Test func moreVirtualNodesBalanceTheLoad() {
        let names = (0..<20).map { "node-\($0)" }
        var rng = Xoshiro256StarStar(seed: 10)
        let keys = (0..<200_000).map { _ in rng.next() }
        func maxOverMean(_ ring: TokenRing) -> Double {
            var load = [Int](repeating: 0, count: ring.nodeCount)
            for key in keys { load[ring.node(for: key)] += 1 }
            return Double(load.max()!) / (Double(keys.count) / Double(ring.nodeCount))
        }
        let one = maxOverMean(TokenRing(nodes: names, virtualNodes: 1))
        let many = maxOverMean(TokenRing(nodes: names, virtualNodes: 160))
        // With v tokens per node the load's relative spread is about 1/sqrt(v)
        // (Karger et al.; Stoica et al. Chord §6); at 160 the hottest node stays near 1.2× the mean.
        #expect(many < 1.3)
        #expect(many < one)
    }
}
