import Foundation
import Testing
@testable import Gate
@testable import Lab

@Suite struct RegressionGateTests {
    let baseline = ["a": 100.0, "b": 50.0, "c": 10.0, "gone": 7.0]

    @Test func withinToleranceIsUnchanged() {
        let gate = RegressionGate(baseline: baseline, measured: [("a", 101.9), ("b", 49.1), ("c", 10)], tolerance: 0.02)
        #expect(!gate.failed)
        #expect(gate.rows.filter { $0.kernel != "gone" }.allSatisfy { $0.verdict == .unchanged })
    }

    @Test func aRegressionBeyondToleranceFailsAndNamesTheKernel() {
        let gate = RegressionGate(baseline: baseline, measured: [("a", 100), ("b", 51.5), ("c", 10)], tolerance: 0.02)
        #expect(gate.failed)
        #expect(gate.failingKernels == ["b"])
        #expect(gate.table().contains("REGRESSION"))
        #expect(gate.table().contains("+3.00%"))
    }

    @Test func anImprovementPassesButAsksForANewBaseline() {
        let gate = RegressionGate(baseline: baseline, measured: [("a", 90)], tolerance: 0.02)
        #expect(!gate.failed)
        #expect(gate.rows.first { $0.kernel == "a" }?.verdict == .improvement)
        #expect(gate.table().contains("make bench-baseline"))
    }

    @Test func aKernelWithoutBaselineFailsAndAStaleRowIsReported() {
        let gate = RegressionGate(baseline: baseline, measured: [("new", 5)], tolerance: 0.02)
        #expect(gate.failingKernels == ["new"])
        #expect(gate.rows.first { $0.kernel == "gone" }?.verdict == .notMeasured)
    }

    @Test func baselineFileRoundTripsAndBadFilesNameTheLine() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("Baselines/instructions.csv")
        try InstructionBaseline.write([("x/y", 12.345), ("z", 1)], to: url)
        #expect(try InstructionBaseline.read(url) == ["x/y": 12.35, "z": 1])

        try AtomicFile.write("kernel,instructions_per_op\nx,12\nx,13\n", to: url)
        #expect(throws: LabError.badInput(file: url.path, line: 3, problem: "kernel 'x' appears twice")) { try InstructionBaseline.read(url) }
        try AtomicFile.write("kernel,instructions_per_op\nx,lots\n", to: url)
        #expect(throws: LabError.self) { try InstructionBaseline.read(url) }
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

    /// `gate baseline --kernel K` rewrites K's row and keeps every other row, in registry order.
    @Test func baselineForSomeKernelsKeepsTheOthers() {
        let existing = ["a": 10, "b": 20, "gone": 5, "c": 30.0]
        let merged = InstructionBaseline.merging([("b", 22), ("d", 40)], into: existing, order: ["a", "b", "c", "d"])
        #expect(merged.map(\.kernel) == ["a", "b", "c", "d", "gone"])
        #expect(merged.map(\.instructionsPerOp) == [10, 22, 30, 40, 5])
    }
}
