import Foundation
import Testing
@testable import Stats
@testable import Workload

@Suite struct WorkloadTests {
    /// YCSB's zipfian: the most popular key's frequency is 1/ζ(n, θ) (Gray et al. 1994).
    @Test func zipfianHeadFrequencyMatchesTheLaw() {
        let d = KeyDistribution(.zipfian(theta: 0.99), keyCount: 1_000)
        var rng = Xoshiro256StarStar(seed: 3)
        let draws = 100_000
        var counts = [Int](repeating: 0, count: 1_000)
        for _ in 0..<draws { counts[Int(d.next(&rng))] += 1 }
        for rank in 1...2 {
            let p = d.zipfianProbability(rank: rank)
            let observed = Double(counts[rank - 1]) / Double(draws)
            #expect(abs(observed - p) < 5 * (p * (1 - p) / Double(draws)).squareRoot(), "rank \(rank): \(observed) vs \(p)")
        }
        #expect(counts[0] > counts[10] && counts[10] > counts[500])
    }

    @Test func uniformAndLatestStayInRange() {
        var rng = Xoshiro256StarStar(seed: 4)
        let uniform = KeyDistribution(.uniform, keyCount: 10)
        let latest = KeyDistribution(.latest, keyCount: 10)
        var latestHits = 0
        for _ in 0..<10_000 {
            #expect(uniform.next(&rng) < 10)
            let k = latest.next(&rng, newest: 7)
            #expect(k < 10)
            if k == 7 { latestHits += 1 }
        }
        #expect(latestHits > 2_000) // the newest key is the most popular
    }

    /// Poisson arrivals: mean gap 1/rate; the write fraction holds.
    @Test func poissonArrivalsAndMix() {
        var stream = OperationStream(ratePerSecond: 1_000, writeFraction: 0.25, keys: KeyDistribution(.uniform, keyCount: 100), clients: 4,
                                     rng: Xoshiro256StarStar(seed: 5))
        let ops = (0..<20_000).map { _ in stream.next() }
        let meanGapMs = Double(ops.last!.arrivalNanoseconds) / 1e6 / Double(ops.count)
        #expect(abs(meanGapMs - 1) < 0.05)
        let writes = Double(ops.filter(\.isWrite).count) / Double(ops.count)
        #expect(abs(writes - 0.25) < 0.02)
        #expect(Set(ops.map(\.client)) == [0, 1, 2, 3])
    }
}
