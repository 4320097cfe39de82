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

        func validate() throws {
            _ = try gate()
        }

        /// The chosen kernels; an unknown name is a usage error.
        func gate() throws -> GateRun {
            do {
                return try GateRun(kernelNames: kernel)
            } catch let error as LabError {
                throw ValidationError(error.description)
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count instructions per operation and fail if any kernel regressed beyond the tolerance.")

        @OptionGroup var options: Options

        @Option(name: .long, help: "Allowed increase in instructions per operation, in percent.")
        var tolerancePercent: Double = 2

        func run() throws {
            let gate = try reportingErrors {
                try options.gate().check(baseline: URL(fileURLWithPath: options.baseline), tolerance: tolerancePercent / 100, log: progress)
            }
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
            let written = try reportingErrors { try options.gate().rebaseline(URL(fileURLWithPath: options.baseline), log: progress) }
            print("wrote \(written) kernels to \(options.baseline)")
        }
    }
}

/// Reports each counted kernel on stderr as it finishes.
func progress(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
