import Testing
@testable import HashRing

@Suite struct MaglevTests {
    /// Eisenbud et al., NSDI 2016, §3.4, Table 1: three backends, M = 7,
    /// permutations B0 = 3 0 4 1 5 2 6 (offset 3, skip 4), B1 = 0 2 4 6 1 3 5
    /// (offset 0, skip 2), B2 = 3 4 5 6 0 1 2 (offset 3, skip 1). The lookup
    /// table before is B1 B0 B1 B0 B2 B2 B0; after B1 is removed it is
    /// B0 B0 B0 B0 B2 B2 B2.
    @Test func reproducesThePapersWorkedExample() {
        let before = Maglev(permutations: [(3, 4), (0, 2), (3, 1)], tableSize: 7)
        #expect(before.slots == [1, 0, 1, 0, 2, 2, 0])
        // B1 removed: B0 and B2 keep their permutations (ordinals 0 and 1 now stand for B0 and B2).
        let after = Maglev(permutations: [(3, 4), (3, 1)], tableSize: 7)
        #expect(after.slots.map { [0, 2][$0] } == [0, 0, 0, 0, 2, 2, 2])
    }

    @Test func slotCountsDifferByAtMostOne() {
        for n in [1, 3, 37, 1_000] {
            let maglev = Maglev(nodes: (0..<n).map { "backend-\($0)" })
            var counts = Array(repeating: 0, count: n)
            for owner in maglev.slots { counts[owner] += 1 }
            #expect(counts.max()! - counts.min()! <= 1, "n=\(n)")
            #expect(counts.reduce(0, +) == Maglev.defaultTableSize)
        }
    }

    @Test func tableSizeIsPrimeAndLargeEnough() {
        #expect(Maglev.tableSize(forNodes: 10) == 65_537)
        let m = Maglev.tableSize(forNodes: 10_000)
        #expect(m >= 1_000_000 && Maglev.isPrime(m))
        #expect(!Maglev.isPrime(65_535) && Maglev.isPrime(2) && !Maglev.isPrime(1))
    }
}
