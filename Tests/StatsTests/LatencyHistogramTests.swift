import Testing
@testable import Stats

@Suite struct LatencyHistogramTests {
    @Test func percentilesOfAUniformRecordingAreWithinThreeDigits() {
        var h = LatencyHistogram()
        for v in 1...10_000 { h.record(nanoseconds: UInt64(v) * 1_000) }
        let p = h.standardPercentiles
        #expect(abs(Double(p.p50) - 5_000_000) / 5_000_000 < 0.001)
        #expect(abs(Double(p.p99) - 9_900_000) / 9_900_000 < 0.001)
        #expect(abs(Double(p.max) - 10_000_000) / 10_000_000 < 0.001)
        #expect(h.count == 10_000)
    }

    @Test func mergingTwoThreadsHistogramsEqualsRecordingIntoOne() {
        var a = LatencyHistogram(), b = LatencyHistogram(), both = LatencyHistogram()
        var rng = Xoshiro256StarStar(seed: 9)
        for i in 0..<5_000 {
            let v = rng.next() % 1_000_000 + 1
            if i % 2 == 0 { a.record(nanoseconds: v) } else { b.record(nanoseconds: v) }
            both.record(nanoseconds: v)
        }
        a.merge(b)
        for q in [50.0, 90, 99, 99.9] { #expect(a.value(atPercentile: q) == both.value(atPercentile: q)) }
    }

    @Test func coordinatedOmissionCorrectionAddsTheMissedSamples() {
        var h = LatencyHistogram()
        // One 100 ms stall with requests expected every 10 ms: the corrected
        // histogram also holds the 90, 80, … 10 ms waits of the requests not sent.
        h.recordCorrected(100_000_000, expectedInterval: 10_000_000)
        #expect(h.count == 10)
    }
}
