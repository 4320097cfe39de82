import Testing
@testable import HashRing
import Stats

@Suite struct JumpHashTests {
    /// Guava's `HashingTest.testConsistentHash_linearCongruentialGeneratorCompatibility`.
    @Test func matchesGuavaGoldenValues() {
        let golden100 = [0, 55, 62, 8, 45, 59, 86, 97, 82, 59, 73, 37, 17, 56, 86, 21, 90, 37, 38, 83]
        for (key, bucket) in golden100.enumerated() {
            #expect(JumpHash.bucket(for: UInt64(key), buckets: 100) == bucket)
        }
        #expect(JumpHash.bucket(for: 10_863_919_174_838_991, buckets: 11) == 6)
        #expect(JumpHash.bucket(for: 2_016_238_256_797_177_309, buckets: 11) == 3)
        #expect(JumpHash.bucket(for: 1_673_758_223_894_951_030, buckets: 11) == 5)
        #expect(JumpHash.bucket(for: 2, buckets: 100_001) == 80_343)
        #expect(JumpHash.bucket(for: 2_201, buckets: 100_001) == 22_152)
        #expect(JumpHash.bucket(for: 2_202, buckets: 100_001) == 15_018)
    }

    @Test func growingByOneNodeMovesKeysOnlyToTheNewNode() {
        var rng = Xoshiro256StarStar(seed: 11)
        let keys = (0..<20_000).map { _ in rng.next() }
        for n in [1, 7, 64, 1_000] {
            let before = JumpHash(nodeCount: n), after = JumpHash(nodeCount: n + 1)
            var moved = 0
            for key in keys {
                let a = before.node(for: key), b = after.node(for: key)
                if a != b {
                    #expect(b == n, "a key moved between surviving nodes")
                    moved += 1
                }
            }
            // Expected fraction 1/(n+1); binomial 5-sigma band.
            let p = 1.0 / Double(n + 1)
            let sigma = (Double(keys.count) * p * (1 - p)).squareRoot()
            #expect(abs(Double(moved) - Double(keys.count) * p) < 5 * sigma + 1)
        }
    }
}
