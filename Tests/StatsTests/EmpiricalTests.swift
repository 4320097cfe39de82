import Foundation
import Testing
@testable import Stats

@Suite struct EmpiricalTests {
    /// Type-7 quantiles (Hyndman & Fan 1996), as R's quantile() and NumPy's default give:
    /// for 1, 2, 3, 4, 10 the quartiles are 2, 3, 4 and the mean of the inverse CDF is the
    /// trapezoid area 3.75 (not the sample mean 4: the smoothed bootstrap spreads mass between samples).
    @Test func samplesInterpolateLikeType7() throws {
        let e = try EmpiricalCSV.parse("ms\n3\n1\n10\n2\n4\n", source: "s.csv")
        let d = LatencyDistribution(.empirical(e))
        #expect(d.quantile(0.25) == 2 && d.quantile(0.5) == 3 && d.quantile(0.75) == 4 && d.quantile(1) == 10)
        #expect(abs(d.quantile(0.9) - 7.6) < 1e-12)
        #expect(abs(d.mean - (0.25 * (1.5 + 2.5 + 3.5 + 7))) < 1e-12)
        #expect(abs(d.cdf(7.6) - 0.9) < 1e-12)
    }

    @Test func percentileTableHoldsTheEnds() throws {
        let e = try EmpiricalCSV.parse("# a latency report\npercentile,ms\n50,1\n99,5\n99.9,20\n", source: "p.csv")
        let d = LatencyDistribution(.empirical(e))
        #expect(d.quantile(0.5) == 1 && d.quantile(0.99) == 5 && abs(d.quantile(0.999) - 20) < 1e-9)
        #expect(d.quantile(0.1) == 1)   // held below p50
        #expect(d.quantile(0.9999) == 20) // held above p99.9
        #expect(abs(d.quantile(0.745) - 3) < 1e-12)
    }

    @Test func errorsNameTheFileLineAndExpectation() {
        func message(_ text: String) -> String {
            do { _ = try EmpiricalCSV.parse(text, source: "lat.csv"); return "" } catch { return "\(error)" }
        }
        #expect(message("ms\n1\nfast\n") == "lat.csv:3: expected numbers, got 'fast'")
        #expect(message("50,1\n40,2\n") == "lat.csv:2: percentiles must increase: 40.0 after 50.0")
        #expect(message("50,3\n90,2\n") == "lat.csv:2: latencies must not decrease with the percentile: 2.0 after 3.0")
        #expect(message("1\n2,3\n").contains("lat.csv:2: expected 1 column"))
        #expect(message("150,3\n") == "lat.csv:1: expected a percentile in (0, 100], got 150.0")
        #expect(message("ms\n").contains("no data"))
        #expect(message("-1\n") == "lat.csv:1: expected a latency ≥ 0 ms, got -1.0")
    }
}
