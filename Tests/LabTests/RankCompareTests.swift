import Foundation
import Testing
@testable import Compare
@testable import Lab
import Stats

/// Mann–Whitney U against SciPy's `mannwhitneyu` (1.17.1), the samples
/// sidecar the runner writes, and `caplab compare` on raw samples with its
/// exit statuses.
@Suite struct RankCompareTests {
    /// SciPy's documentation example (Conover's): U = 17, exact p = 0.1111.
    @Test func exactPValueMatchesSciPy() {
        let test = MannWhitney([19, 22, 16, 29, 24], [20, 11, 17, 12])
        #expect(test.u == 17)
        #expect(test.exact)
        #expect(abs(test.p - 0.1111111111111111) < 1e-12)

        let larger = MannWhitney([10.1, 10.5, 9.8, 11.2, 10.9, 10.0, 10.3, 12.0, 9.9, 10.7],
                                 [11.0, 11.4, 10.8, 12.2, 11.9, 11.1, 11.6, 10.6, 12.5, 11.3, 11.8, 13.0])
        #expect(larger.u == 16)
        #expect(abs(larger.p - 0.00264750729147014) < 1e-12)
    }

    /// With ties SciPy uses the normal approximation with tie and continuity corrections.
    @Test func tiedSamplesMatchSciPysAsymptoticPValue() {
        let test = MannWhitney([1, 2, 3, 3, 4, 5], [3, 4, 5, 5, 6, 7, 8])
        #expect(test.u == 5.5)
        #expect(!test.exact)
        #expect(abs(test.p - 0.030018202869244462) < 1e-12)

        let big = MannWhitney((0..<60).map(Double.init), (0..<50).map { Double($0) + 7.5 })
        #expect(big.u == 1375)
        #expect(!big.exact)
        #expect(abs(big.p - 0.4548379677495855) < 1e-12)
    }

    @Test func theSidecarKeepsTheSamplesBehindEachMedianCell() throws {
        let a = [5.0, 4.0, 6.0, 5.5, 4.5, 5.2], b = [20.0, 21.0, 19.0, 22.0, 20.5, 18.0]
        SampleRecorder.start()
        let sa = Summary(a), sb = Summary(b)
        let ratio = Summary(zip(a, b).map { $0 / $1 })
        let recorded = SampleRecorder.stop()
        #expect(recorded.count == 3)
        var table = CSVTable(columns: ["n", "x_median", "x_min", "x_max", "r_median"])
        // Row 1 is b's, row 2 is a's; r_median is written with a precision no recorded ratio reproduces.
        table.append(["1", Cell.fixed(sb.median, 1), Cell.fixed(sb.min, 1), Cell.fixed(sb.max, 1), Cell.fixed(ratio.median * 2, 3)])
        table.append(["2", Cell.fixed(sa.median), Cell.fixed(sa.min), Cell.fixed(sa.max), "7"])
        let sidecar = try #require(SampleSidecar.table(for: table, recorded: recorded))
        #expect(sidecar.rows.map { [$0[0], $0[1]] } == [["1", "x"], ["2", "x"]])
        #expect(sidecar.rows[0][3] == b.map { "\($0)" }.joined(separator: " "))
        #expect(sidecar.rows[1][3] == a.map { "\($0)" }.joined(separator: " "))
    }

    /// Writes a CAPLab CSV and its samples sidecar: per configuration, 8 samples of `base × factor` with ±3 % noise.
    static func write(_ name: String, factor: Double, seed: UInt64, commit: String, in dir: URL) throws -> String {
        var rng = Xoshiro256StarStar(seed: seed)
        var table = CSVTable(columns: ["algorithm", "lookup_ns_median", "lookup_ns_ci_low", "lookup_ns_ci_high"])
        SampleRecorder.start()
        for base in [20.0, 80.0] {
            let s = Summary((0..<8).map { _ in base * factor * (1 + 0.03 * (rng.nextUnitDouble() - 0.5)) })
            table.append([base == 20 ? "a" : "b", Cell.fixed(s.median), Cell.fixed(s.ciLow), Cell.fixed(s.ciHigh)])
        }
        let csv = dir.appendingPathComponent("\(name).csv")
        try AtomicFile.write(table.rendered(), to: csv)
        try SampleSidecar.write(for: table, recorded: SampleRecorder.stop(), besideCSV: csv)
        let meta = RunMetadata(experiment: "x", gitCommit: commit, gitDirty: false, swiftVersion: "6.3", cpuModel: "cpu", coreCount: 2,
                               operatingSystem: "linux", date: "", seed: 1, scale: "quick", parameterGrid: [:], commandLine: [], durationSeconds: 0, rows: 2)
        try AtomicFile.write(try meta.json(), to: dir.appendingPathComponent("\(name).meta.json"))
        return csv.path
    }

    @Test func compareFailsOnASlowdownFromRawSamplesWithExitStatuses() throws {
        let dir = try TemporaryDirectory()
        let old = try Self.write("old", factor: 1, seed: 1, commit: "aaaa", in: dir.url)
        let same = try Self.write("same", factor: 1, seed: 2, commit: "aaaa", in: dir.url)
        let slow = try Self.write("slow", factor: 1.10, seed: 3, commit: "bbbb", in: dir.url)
        let fast = try Self.write("fast", factor: 0.90, seed: 4, commit: "aaaa", in: dir.url)
        #expect(try ResultFile.read(URL(fileURLWithPath: old)).allSatisfy { $0.samples?.count == 8 })

        let aa = try CLITests.caplab(["compare", old, same, "--fail-on", "any", "--min-effect", "5%"])
        #expect(aa.status == 0, "\(aa.stdout)")
        #expect(aa.stdout.contains("(U, n=8/8)"))

        let ab = try CLITests.caplab(["compare", old, slow, "--fail-on", "slower", "--min-effect", "5%", "--format", "junit"])
        #expect(ab.status == 1)
        let junit = try JUnit(ab.stdout)
        #expect(junit.cases == ["algorithm=a lookup_ns", "algorithm=b lookup_ns"])
        #expect(junit.failed == junit.cases)
        #expect(ab.stderr.contains("warning: the runs differ in commit (aaaa vs bbbb)"))

        // 10 % slower is below a 15 % minimum effect, and a speed-up fails only when asked to.
        #expect(try CLITests.caplab(["compare", old, slow, "--fail-on", "slower", "--min-effect", "15%"]).status == 0)
        #expect(try CLITests.caplab(["compare", old, fast, "--fail-on", "slower"]).status == 0)
        let faster = try CLITests.caplab(["compare", old, fast, "--fail-on", "faster", "--format", "json"])
        #expect(faster.status == 2)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(faster.stdout.utf8)) as? [String: Any])
        #expect((document["cases"] as? [[String: Any]])?.compactMap { $0["outcome"] as? String } == ["improvement", "improvement"])

        // At 99.99 % confidence 8 against 8 samples can never be significant (the smallest exact p is 1.6e-4).
        #expect(try CLITests.caplab(["compare", old, slow, "--fail-on", "slower", "--confidence", "99.99%"]).status == 0)

        #expect(try CLITests.caplab(["compare", dir.url.appendingPathComponent("none.csv").path, slow]).status == 3)
        #expect(try CLITests.caplab(["compare", old, slow, "--fail-on", "sometimes"]).status == 64)
        let garbage = dir.url.appendingPathComponent("garbage.csv")
        try "a,b\n1,2\n".write(to: garbage, atomically: true, encoding: .utf8)
        #expect(try CLITests.caplab(["compare", old, garbage.path]).status == 65)
    }
}
