import ArgumentParser
import Foundation
import Gate
import Lab

struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "The CI performance gate: instructions per operation of every kernel of a program, against a baseline.",
        discussion: """
            Wall-clock time on a shared machine moves by 50-70 % between runs of the same code; \
            instruction counts do not. The program is caplab itself, or any --program that speaks the kernel \
            protocol (PROGRAM --list-kernels; PROGRAM --kernel NAME --iterations K). Counted by perf where the CPU \
            has hardware counters, by callgrind otherwise. Exit status of check: 0 pass, 1 regression, \
            2 improvement (with --fail-on-improvement), 3 missing or stale baseline, 64 usage, 65 bad input.
            """,
        subcommands: [Check.self, Baseline.self, History.self])

    struct Options: ParsableArguments {
        @Option(name: .long, help: "A program speaking the kernel protocol (default: caplab's own kernels).")
        var program: String?

        @Option(name: .long, help: "The baseline CSV.")
        var baseline: String = "Benchmarks/Baselines/instructions.csv"

        @Option(name: .long, parsing: .upToNextOption, help: "Only these kernels (default: all the program lists).")
        var kernel: [String] = []

        @Option(name: .long, help: "Instruction counter: auto (perf if hardware counters exist, else callgrind), callgrind, perf.")
        var counter: String = "auto"

        @Option(name: .long, help: "Kernels counted at once (default: the number of cores).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(name: .long, help: "LOW,HIGH iteration counts for kernels whose listing gives none.")
        var iterations: String = "1000,11000"

        @Option(name: .long, help: "Append this run to a history CSV (`caplab gate history` draws it).")
        var history: String?

        func session() throws -> GateSession {
            var session = GateSession(program: program, baseline: URL(fileURLWithPath: baseline))
            session.kernels = kernel
            if counter != "auto" {
                guard let tool = InstructionCounter.Tool(rawValue: counter) else { throw ValidationError("--counter is auto, callgrind or perf") }
                session.counter = tool
            }
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
            session.jobs = jobs
            let counts = iterations.split(separator: ",").compactMap { Int($0) }
            guard counts.count == 2, counts[0] >= 0, counts[0] < counts[1] else { throw ValidationError("--iterations is LOW,HIGH with LOW < HIGH") }
            session.defaultIterations = (counts[0], counts[1])
            session.history = history.map { URL(fileURLWithPath: $0) }
            return session
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count instructions per operation and fail if any kernel regressed beyond its tolerance.",
            discussion: "A kernel's tolerance: its baseline row's tolerance_pct, else --tolerance-percent, else --spread-multiple x its measured spread, floored at --tolerance-floor.")

        @OptionGroup var options: Options

        @Option(name: .long, help: "One tolerance (percent) for every kernel without its own.")
        var tolerancePercent: Double?

        @Option(name: .long, help: "The smallest default tolerance, in percent.")
        var toleranceFloor: Double = 1

        @Option(name: .long, help: "Default tolerance as a multiple of the spread measured on unchanged code.")
        var spreadMultiple: Double = 5

        @Flag(name: .long, help: "Exit 2 when a kernel improved beyond its tolerance (asks for a new baseline).")
        var failOnImprovement = false

        @Option(name: .long, help: "Output: text, markdown, json, junit.")
        var format: String = "text"

        func validate() throws {
            // NaN compares false with everything, so a NaN tolerance would pass every kernel.
            for (flag, value) in [("--tolerance-percent", tolerancePercent), ("--tolerance-floor", toleranceFloor), ("--spread-multiple", spreadMultiple)] {
                if let value, !(value.isFinite && value >= 0) {
                    throw ValidationError("\(flag): expected a finite number ≥ 0, got \(value)")
                }
            }
        }

        func run() throws {
            var session = try options.session()
            session.format = try parseFormat(format)
            session.policy = RegressionGate.Policy(
                floorPercent: toleranceFloor, spreadMultiple: spreadMultiple, fixedPercent: tolerancePercent, failOnImprovement: failOnImprovement)
            try exitWith { try session.check(output: { print($0, terminator: "") }, log: logToStandardError) }
        }
    }

    struct Baseline: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count instructions per operation (R times) and rewrite the baseline file with each kernel's median and spread.",
            discussion: "With --kernel, only those kernels' rows change; a per-kernel tolerance_pct set by hand is kept.")

        @OptionGroup var options: Options

        @Option(name: .long, help: "Count every kernel R times on unchanged code (an A/A run) to measure its spread.")
        var `repeat`: Int = 1

        func run() throws {
            guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1") }
            var session = try options.session()
            session.repeats = `repeat`
            try exitWith { try session.writeBaseline(output: { print($0, terminator: "") }, log: logToStandardError) }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the gate's history (every baseline and check appended with --history) and draw instructions per kernel over commits.")

        @Option(name: .long, help: "The history CSV.")
        var history: String = ".build/gate-history.csv"

        @Option(name: .long, help: "Draw the trend to this PNG (gnuplot).")
        var png: String?

        func run() throws {
            try exitWith {
                let entries = try GateHistory.read(URL(fileURLWithPath: history))
                print(TextTable.render(GateHistory.wide(entries)), terminator: "")
                if let png {
                    try GateHistory.plot(entries, to: URL(fileURLWithPath: png))
                    print("drew \(png)")
                }
                return .pass
            }
        }
    }
}
