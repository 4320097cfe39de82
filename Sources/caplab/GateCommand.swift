import ArgumentParser
import Foundation
import Gate
import Lab

struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "The CI performance gate: instructions per operation of every kernel, counted by callgrind, against a baseline.",
        discussion: """
            Wall-clock time on a shared machine moves by 50-70 % between runs of the same code; \
            instruction counts do not. `check` fails (exit 1) when a kernel executes more than the \
            tolerance above its baseline or has no baseline; `baseline` measures and rewrites the baseline file.
            """,
        subcommands: [Check.self, Baseline.self])

    struct Options: ParsableArguments {
        @Option(name: .long, help: "The baseline CSV (kernel,instructions_per_op).")
        var baseline: String = "Benchmarks/Baselines/instructions.csv"

        @Option(name: .long, parsing: .upToNextOption, help: "Only these kernels (default: all).")
        var kernel: [String] = []

        func kernels() throws -> [Kernel] {
            if kernel.isEmpty { return Kernels.all }
            return try kernel.map { name in
                guard let k = Kernels.named(name) else {
                    throw ValidationError(LabError.unknownKernel(name, known: Kernels.all.map(\.name)).description)
                }
                return k
            }
        }

        /// Counts every chosen kernel, reporting each on stderr as it finishes.
        func measure() throws -> [(kernel: String, instructionsPerOp: Double)] {
            let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
            let counter = try reportingErrors { try InstructionCounter(executable: me) }
            let chosen = try kernels()
            var measured: [(kernel: String, instructionsPerOp: Double)] = []
            for (i, kernel) in chosen.enumerated() {
                let perOp = try reportingErrors { try counter.instructionsPerOperation(kernel) }
                FileHandle.standardError.write(Data("[\(i + 1)/\(chosen.count)] \(kernel.name): \(String(format: "%.2f", perOp)) instructions/op\n".utf8))
                measured.append((kernel.name, perOp))
            }
            return measured
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count instructions per operation and fail if any kernel regressed beyond the tolerance.")

        @OptionGroup var options: Options

        @Option(name: .long, help: "Allowed increase in instructions per operation, in percent.")
        var tolerancePercent: Double = 2

        func run() throws {
            var baseline = try reportingErrors { try InstructionBaseline.read(URL(fileURLWithPath: options.baseline)) }
            // With --kernel, leave out the baseline rows of existing kernels that were not chosen;
            // rows of kernels that no longer exist are still reported as stale.
            let chosen = Set(try options.kernels().map(\.name))
            let known = Set(Kernels.all.map(\.name))
            baseline = baseline.filter { chosen.contains($0.key) || !known.contains($0.key) }
            let gate = RegressionGate(baseline: baseline, measured: try options.measure(), tolerance: tolerancePercent / 100)
            print(gate.table(), terminator: "")
            if gate.failed {
                FileHandle.standardError.write(Data("caplab: gate failed (tolerance \(tolerancePercent) %): \(gate.failingKernels.joined(separator: ", "))\n".utf8))
                throw ExitCode.failure
            }
            print("gate passed: no kernel above +\(tolerancePercent) % instructions/op")
        }
    }

    struct Baseline: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count instructions per operation and rewrite the baseline file.",
            discussion: "With --kernel, only those kernels' rows change; every other row of an existing baseline is kept.")

        @OptionGroup var options: Options

        func run() throws {
            let url = URL(fileURLWithPath: options.baseline)
            var rows = try options.measure()
            if !options.kernel.isEmpty && FileManager.default.fileExists(atPath: url.path) {
                let existing = try reportingErrors { try InstructionBaseline.read(url) }
                rows = InstructionBaseline.merging(rows, into: existing, order: Kernels.all.map(\.name))
            }
            try reportingErrors { try InstructionBaseline.write(rows, to: url) }
            print("wrote \(rows.count) kernels to \(options.baseline)")
        }
    }
}
