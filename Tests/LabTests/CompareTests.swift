import Foundation
import Testing
@testable import Compare
@testable import Lab
import Stats

@Suite struct CompareTests {
    /// A CAPLab CSV row per configuration from synthetic timing samples:
    /// log-normal-ish noise around `base × factor`.
    static func csv(factor: Double, seed: UInt64) -> String {
        var rng = Xoshiro256StarStar(seed: seed)
        var table = CSVTable(columns: ["algorithm", "nodes", "lookup_ns_median", "lookup_ns_min", "lookup_ns_max", "lookup_ns_ci_low", "lookup_ns_ci_high", "memory_bytes"])
        for (algorithm, base) in [("a", 20.0), ("b", 80.0)] {
            for nodes in [10, 1000] {
                let samples = (0..<15).map { _ in base * factor * (1 + 0.15 * rng.nextUnitDouble()) }
                let s = Summary(samples)
                table.append([algorithm, String(nodes), Cell.fixed(s.median), Cell.fixed(s.min), Cell.fixed(s.max), Cell.fixed(s.ciLow), Cell.fixed(s.ciHigh), "64"])
            }
        }
        return table.rendered()
    }

    @Test func parsesCAPLabCSVIntoMetricsKeyedByConfiguration() throws {
        let values = try ResultFile.parse(Self.csv(factor: 1, seed: 1), file: "x.csv")
        #expect(values.count == 4)
        #expect(values.allSatisfy { $0.metric == "lookup_ns" && $0.low <= $0.median && $0.median <= $0.high })
        #expect(values[0].key == ["algorithm": "a", "nodes": "10", "memory_bytes": "64"])
        #expect(values[0].lowerIsBetter)
    }

    @Test func sameCodeTwiceIsNoSignificantDifference() throws {
        let old = try ResultFile.parse(Self.csv(factor: 1, seed: 1), file: "old.csv")
        let new = try ResultFile.parse(Self.csv(factor: 1, seed: 2), file: "new.csv")
        let (pairs, unmatched) = Comparison.match(old: old, new: new)
        #expect(pairs.count == 4 && unmatched.isEmpty)
        #expect(pairs.allSatisfy { $0.judged(ComparisonPolicy()).verdict == .noDifference })
    }

    @Test func aTwofoldSlowdownIsDetected() throws {
        let old = try ResultFile.parse(Self.csv(factor: 1, seed: 1), file: "old.csv")
        let new = try ResultFile.parse(Self.csv(factor: 2, seed: 2), file: "new.csv")
        let (pairs, _) = Comparison.match(old: old, new: new)
        #expect(pairs.count == 4)
        for p in pairs {
            #expect(p.judged(ComparisonPolicy()).verdict == .worse)
            #expect(p.text(for: .worse) == "slower")
            #expect(p.ratioLow > 1.5 && p.ratioHigh < 2.7)
        }
    }

    @Test func throughputHigherIsBetter() {
        let old = MeasuredValue(key: [:], metric: "throughput_ops_s", median: 100, low: 95, high: 105)
        let new = MeasuredValue(key: [:], metric: "throughput_ops_s", median: 200, low: 190, high: 210)
        let comparison = Comparison(old: old, new: new)
        #expect(comparison.judged(ComparisonPolicy()).verdict == .better)
        #expect(comparison.text(for: .better) == "higher")
    }

    /// The shape package-benchmark 1.38.1 writes with `--format influx`.
    static let influx = """
        #datatype tag,tag,tag,tag,tag,tag,tag,tag,tag,double,double,double,long,long,dateTime
        measurement,hostName,processoryType,processors,memory,kernelVersion,metric,unit,test,percentile,value,test_average,iterations,warmup_iterations,time
        HashRingBenchmarks,vm,x86_64,2,23,6.1,Time(wallclock),ns,Jump lookup n=100,0.0,25,26.0,10000,1,2026-11-21T21:00:00Z
        HashRingBenchmarks,vm,x86_64,2,23,6.1,Time(wallclock),ns,Jump lookup n=100,25.0,25,26.0,10000,1,2026-11-21T21:00:00Z
        HashRingBenchmarks,vm,x86_64,2,23,6.1,Time(wallclock),ns,Jump lookup n=100,50.0,26,26.0,10000,1,2026-11-21T21:00:00Z
        HashRingBenchmarks,vm,x86_64,2,23,6.1,Time(wallclock),ns,Jump lookup n=100,75.0,30,26.0,10000,1,2026-11-21T21:00:00Z
        HashRingBenchmarks,vm,x86_64,2,23,6.1,Time(wallclock),ns,Jump lookup n=100,100.0,125,26.0,10000,1,2026-11-21T21:00:00Z
        HashRingBenchmarks,vm,x86_64,2,23,6.1,Malloc(total),#,Jump lookup n=100,50.0,0,0.0,10000,1,2026-11-21T21:00:00Z
        HashRingBenchmarks,vm,x86_64,2,23,6.1,Malloc(total),#,Jump lookup n=100,25.0,0,0.0,10000,1,2026-11-21T21:00:00Z
        HashRingBenchmarks,vm,x86_64,2,23,6.1,Malloc(total),#,Jump lookup n=100,75.0,0,0.0,10000,1,2026-11-21T21:00:00Z

        """

    @Test func parsesPackageBenchmarkInfluxExports() throws {
        let values = try ResultFile.parse(Self.influx, file: "influx.csv")
        #expect(values.count == 2)
        let time = try #require(values.first { $0.metric == "Time(wallclock)" })
        #expect(time.key == ["measurement": "HashRingBenchmarks", "test": "Jump lookup n=100"])
        #expect(time.median == 26)
        // n = 10 000: the median's interval spans percentiles 50 ± 0.98, interpolated toward p25 and p75.
        #expect(abs(time.low - (26 - 1 * 0.98 / 25)) < 1e-9)
        #expect(abs(time.high - (26 + 4 * 0.98 / 25)) < 1e-9)
    }

    @Test func perSecondColumnsAreRates() {
        for metric in ["entries_s", "mb_s", "throughput_ops_s", "appends_s"] {
            #expect(!MeasuredValue(key: [:], metric: metric, median: 1, low: 1, high: 1).lowerIsBetter, "\(metric)")
        }
        for metric in ["lookup_ns", "diff_us", "p99_ms", "encoded_bytes"] {
            #expect(MeasuredValue(key: [:], metric: metric, median: 1, low: 1, high: 1).lowerIsBetter, "\(metric)")
        }
        let old = MeasuredValue(key: [:], metric: "entries_s", median: 100, low: 95, high: 105)
        let new = MeasuredValue(key: [:], metric: "entries_s", median: 50, low: 45, high: 55)
        #expect(Comparison(old: old, new: new).judged(ComparisonPolicy()).verdict == .worse)
    }

    @Test func mediansWithoutAnIntervalAreLeftOut() throws {
        let values = try ResultFile.parse("k,x_median,x_min,x_max,y_median\n1,5,4,6,7\n", file: "f.csv")
        #expect(values.map(\.metric) == ["x"])
        #expect(values[0].key == ["k": "1"])
    }

    @Test func malformedFilesNameTheProblem() {
        #expect(throws: LabError.badInput(file: "dup.csv", line: 1, problem: "column `k` appears twice in the header")) {
            try ResultFile.parse("k,k,x_median,x_min,x_max\n1,2,5,4,6\n", file: "dup.csv")
        }
        #expect(throws: LabError.self) { try ResultFile.parse("a,b\n1,2\n", file: "nometric.csv") }
        #expect(throws: LabError.badInput(file: "bad.csv", line: 2, problem: "x_median 'fast' is not a finite number")) {
            try ResultFile.parse("k,x_median,x_min,x_max\n1,fast,1,2\n", file: "bad.csv")
        }
    }
}
