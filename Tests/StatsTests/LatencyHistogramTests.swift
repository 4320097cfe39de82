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
        // histogram also holds the 90, 80, … 10 ms waits of the requests not
        // sent (HdrHistogram's recordCorrectedValue), and nothing else.
        h.recordCorrected(100_000_000, expectedInterval: 10_000_000)
        #expect(h.count == 10)
        // The k-th decile is the k × 10 ms wait, to the histogram's three digits.
        for k in 1...10 {
            let value = Double(h.value(atPercentile: Double(k) * 10))
            #expect(abs(value - Double(k) * 10_000_000) / (Double(k) * 10_000_000) < 0.001, "decile \(k): \(value) ns")
        }
        // A value no longer than the interval adds no phantom samples.
        var short = LatencyHistogram()
        short.recordCorrected(7_000_000, expectedInterval: 10_000_000)
        #expect(short.count == 1 && abs(Double(short.value(atPercentile: 100)) - 7_000_000) / 7_000_000 < 0.001)
        // Uncorrected, the same stall is one sample of 100 ms: the median is what the correction moves.
        var plain = LatencyHistogram()
        plain.record(nanoseconds: 100_000_000)
        for _ in 0..<9 { plain.record(nanoseconds: 1_000_000) }
        var corrected = LatencyHistogram()
        corrected.recordCorrected(100_000_000, expectedInterval: 10_000_000)
        for _ in 0..<9 { corrected.recordCorrected(1_000_000, expectedInterval: 10_000_000) }
        #expect(plain.count == 10 && corrected.count == 19)
        #expect(abs(Double(plain.value(atPercentile: 50)) - 1_000_000) / 1_000_000 < 0.001)
        #expect(abs(Double(corrected.value(atPercentile: 50)) - 10_000_000) / 10_000_000 < 0.001)
    }
}
