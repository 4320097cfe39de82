import Foundation
import Testing
@testable import Gate
@testable import Lab

@Suite struct RegressionGateTests {
    let baseline = InstructionBaseline([
        .init(kernel: "a", instructionsPerOp: 100),
        .init(kernel: "b", instructionsPerOp: 50, spreadPercent: 0.5, repeats: 3),
        .init(kernel: "c", instructionsPerOp: 10, tolerancePercent: 10),
        .init(kernel: "gone", instructionsPerOp: 7),
    ])
    let policy = RegressionGate.Policy(floorPercent: 2, spreadMultiple: 5)

    func gate(_ measured: [(kernel: String, instructionsPerOp: Double)], policy: RegressionGate.Policy? = nil,
              counter: InstructionCounter.Tool = .callgrind) -> RegressionGate {
        RegressionGate(baseline: baseline, measured: measured, counter: counter, policy: policy ?? self.policy)
    }

    @Test func withinToleranceIsUnchanged() {
        let g = gate([("a", 101.9), ("b", 49.1), ("c", 10.9)])
        #expect(g.rows.filter { $0.kernel != "gone" }.allSatisfy { $0.outcome == .pass && !$0.fails })
    }

    /// Tolerances: a's is the 2 % floor; b's 5 × its 0.5 % spread = 2.5 %; c's its own 10 %.
    @Test func eachKernelIsHeldToItsOwnTolerance() {
        let g = gate([("a", 102.1), ("b", 51.2), ("c", 10.99)])
        #expect(g.rows.first { $0.kernel == "a" }?.outcome == .regression)
        #expect(g.rows.first { $0.kernel == "b" }?.outcome == .pass)
        #expect(g.rows.first { $0.kernel == "c" }?.outcome == .pass)
        #expect(gate([("b", 51.3)]).rows.first { $0.kernel == "b" }?.outcome == .regression)
        #expect(gate([("c", 11.01)]).rows.first { $0.kernel == "c" }?.outcome == .regression)
        // A fixed tolerance replaces the spread rule but not a kernel's own.
        let fixed = gate([("a", 104), ("c", 10.99)], policy: .init(fixedPercent: 5))
        #expect(fixed.rows.filter { ["a", "c"].contains($0.kernel) }.allSatisfy { $0.outcome == .pass })
    }

    @Test func aRegressionBeyondToleranceFailsAndNamesTheKernel() {
        let g = gate([("a", 100), ("b", 51.5), ("c", 10), ("gone", 7)])
        #expect(g.failingKernels == ["b"])
        let report = g.report()
        #expect(report.exitStatus == .regression)
        #expect(report.rendered(.text).contains("REGRESSION"))
        #expect(report.rendered(.text).contains("+3.00%"))
        #expect(report.rendered(.text).contains("instructions counted by callgrind"))
    }

    @Test func anImprovementPassesUnlessAskedToFail() {
        let g = gate([("a", 90), ("b", 50), ("c", 10), ("gone", 7)])
        #expect(g.rows.first { $0.kernel == "a" }?.outcome == .improvement)
        #expect(g.report().exitStatus == .pass)
        let strict = gate([("a", 90), ("b", 50), ("c", 10), ("gone", 7)], policy: .init(floorPercent: 2, failOnImprovement: true))
        #expect(strict.report().exitStatus == .improvement)
        #expect(strict.report().rendered(.markdown).hasPrefix("### ❌ caplab gate: improvement"))
    }

    @Test func aMissingOrStaleBaselineIsItsOwnStatus() {
        let g = gate([("new", 5)])
        #expect(g.failingKernels == ["new", "a", "b", "c", "gone"])
        #expect(g.report().exitStatus == .missingBaseline)
        #expect(g.rows.first { $0.kernel == "gone" }?.now == nil)
        // A regression outranks a missing row; a baseline counted by another tool is stale.
        #expect(gate([("a", 200), ("new", 5)]).report().exitStatus == .regression)
        let other = gate([("a", 100), ("b", 50), ("c", 10), ("gone", 7)], counter: .perf)
        #expect(other.report().exitStatus == .missingBaseline)
        #expect(other.rows.first?.message.contains("counted by callgrind, now by perf") == true)
    }

    @Test func baselineFileRoundTripsReadsTheOldFormatAndBadFilesNameTheLine() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("Baselines/instructions.csv")
        try InstructionBaseline([.init(kernel: "z", instructionsPerOp: 1), .init(kernel: "x/y", instructionsPerOp: 12.345, spreadPercent: 0.01, repeats: 3, tolerancePercent: 4, counter: .perf)])
            .write(to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text == "kernel,instructions_per_op,spread_pct,repeats,tolerance_pct,counter\nx/y,12.35,0.0100,3,4.00,perf\nz,1.00,0.0000,1,,callgrind\n")
        #expect(try InstructionBaseline.read(url)["x/y"] == .init(kernel: "x/y", instructionsPerOp: 12.35, spreadPercent: 0.01, repeats: 3, tolerancePercent: 4, counter: .perf))

        try AtomicFile.write("kernel,instructions_per_op\nb,12\na,3.5\n", to: url)
        #expect(try InstructionBaseline.read(url).rows == [.init(kernel: "a", instructionsPerOp: 3.5), .init(kernel: "b", instructionsPerOp: 12)])

        try AtomicFile.write("kernel,instructions_per_op\nx,12\nx,13\n", to: url)
        #expect(throws: LabError.badInput(file: url.path, line: 3, problem: "kernel 'x' appears twice")) { try InstructionBaseline.read(url) }
        try AtomicFile.write("kernel,instructions_per_op\nx,lots\n", to: url)
        #expect(throws: LabError.self) { try InstructionBaseline.read(url) }
        try AtomicFile.write("kernel,instructions_per_op,spread_pct,repeats,tolerance_pct,counter\nx,1,0,1,,cycles\n", to: url)
        #expect(throws: LabError.badInput(file: url.path, line: 2, problem: "counter 'cycles' is not callgrind or perf")) { try InstructionBaseline.read(url) }
        try AtomicFile.write("name,value\n", to: url)
        #expect(throws: LabError.self) { try InstructionBaseline.read(url) }
    }

    @Test func readsCallgrindsCollectedLine() {
        let stderr = """
            ==123== Callgrind, a call-graph generating cache profiler
            ==123== Events    : Ir
            ==123== Collected : 5342881
            ==123==
            ==123== I   refs:      5,342,881
            """
        #expect(InstructionCounter.collected(in: stderr) == 5_342_881)
        #expect(InstructionCounter.collected(in: "no such line") == nil)
    }

    @Test func everyKernelRunsAndIsDeterministic() {
        for kernel in Kernels.all {
            let iterations = min(100, kernel.iterations.low)
            #expect(kernel.run(iterations) == kernel.run(iterations), "\(kernel.name)")
            #expect(kernel.iterations.low < kernel.iterations.high)
        }
        #expect(Set(Kernels.all.map(\.name)).count == Kernels.all.count)
    }

    /// `gate baseline --kernel K` rewrites K's row, keeps every other row and a hand-set tolerance.
    @Test func baselineForSomeKernelsKeepsTheOthers() {
        let merged = baseline.merging([.init(kernel: "c", instructionsPerOp: 22), .init(kernel: "d", instructionsPerOp: 40)])
        #expect(merged.rows.map(\.kernel) == ["a", "b", "c", "d", "gone"])
        #expect(merged.rows.map(\.instructionsPerOp) == [100, 50, 22, 40, 7])
        #expect(merged["c"]?.tolerancePercent == 10)
    }

    @Test func listingsAndPerfOutputParse() throws {
        let listed = try KernelProgram.parseListing("a\n\nb 2 12\n", program: "p", defaultIterations: (10, 20))
        #expect(listed == [.init(name: "a", iterations: (10, 20)), .init(name: "b", iterations: (2, 12))])
        #expect(throws: LabError.self) { try KernelProgram.parseListing("a b\n", program: "p", defaultIterations: (10, 20)) }
        #expect(throws: LabError.self) { try KernelProgram.parseListing("a\na\n", program: "p", defaultIterations: (10, 20)) }
        #expect(PerfProbe.instructions(in: "1234567,,instructions:u,1000,100.00,,\n") == 1_234_567)
        #expect(PerfProbe.instructions(in: "<not supported>,,instructions:u,0,100.00,,\n") == nil)
    }

    /// Names with XML's special characters stay well-formed JUnit and valid JSON.
    @Test func junitAndJSONAreWellFormedWhateverTheNames() throws {
        let report = VerdictReport(
            title: "suite <&>", columns: ["name", "value"],
            cases: [
                .init(name: "a<b & \"c\"", outcome: .regression, fails: true, cells: ["a<b", "1"], message: "it's > 2 %"),
                .init(name: "plain", outcome: .pass, fails: false, cells: ["plain", "2"], message: "ok"),
            ],
            notes: ["machine \u{1}differs"])
        let junit = try JUnit(report.rendered(.junit))
        #expect(junit.cases == ["a<b & \"c\"", "plain"])
        #expect(junit.failed == ["a<b & \"c\""])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.rendered(.json).utf8)) as? [String: Any])
        #expect(json["status"] as? Int == 1)
        #expect((json["cases"] as? [[String: Any]])?.first?["name"] as? String == "a<b & \"c\"")
        #expect(report.rendered(.markdown).contains("| a<b | 1 |"))
    }
}
