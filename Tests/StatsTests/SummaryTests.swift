import Testing
@testable import Stats

@Suite struct SummaryTests {
    @Test func medianMinMaxMean() {
        let odd = Summary([5, 1, 4, 2, 3])
        #expect(odd.median == 3 && odd.min == 1 && odd.max == 5 && odd.mean == 3)
        let even = Summary([4, 1, 3, 2])
        #expect(even.median == 2.5)
    }

    /// Ranks from the binomial tables for a 95 % order-statistic interval of the median.
    @Test(arguments: [(6, 1), (11, 2), (15, 4), (20, 6), (30, 10)])
    func medianConfidenceRank(n: Int, rank: Int) {
        let (k, coverage) = Summary.medianRank(sampleCount: n, level: 0.95)
        #expect(k == rank)
        #expect(coverage >= 0.95)
    }

    @Test func smallSamplesFallBackToTheRangeAndSaySo() {
        let summary = Summary([3, 1, 2, 5, 4])
        #expect(summary.ciLow == 1 && summary.ciHigh == 5)
        #expect(abs(summary.confidence - (1 - 2.0 / 32)) < 1e-12)
    }

    @Test func intervalBracketsTheMedian() {
        var rng = Xoshiro256StarStar(seed: 3)
        let samples = (0..<15).map { _ in rng.nextUnitDouble() }
        let s = Summary(samples)
        let sorted = samples.sorted()
        #expect(s.ciLow == sorted[3] && s.ciHigh == sorted[11])
        #expect(s.ciLow <= s.median && s.median <= s.ciHigh)
    }
}
