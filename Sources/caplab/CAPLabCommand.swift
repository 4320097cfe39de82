import ArgumentParser
import Experiments
import Foundation
import Gate
import GateKernel
import Lab

@main
struct CAPLabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caplab",
        abstract: "A benchmark and performance laboratory for distributed-systems primitives.",
        discussion: """
            Experiments write results/<name>.csv and results/<name>.meta.json; \
            `caplab plot` turns them into results/<name>.png with gnuplot.
            Typical use:  caplab list;  caplab run ring-lookup --quick;  caplab plot ring-lookup
            Exit status (every subcommand): 0 ok; 1 a finding (regression, not linearizable); \
            2 no verdict (check: unknown; gate: improvement, record a baseline); 3 missing baseline (gate); \
            64 usage; 65 bad input data (the message names file, line/key and what was expected); \
            74 I/O (a file or tool that cannot be read, written or run).
            """,
        subcommands: [
            ListCommand.self, RunCommand.self, MergeCommand.self, PlotCommand.self,
            PBSCommand.self, SimulateCommand.self, RingCommand.self,
            CompareCommand.self, KernelCommand.self, GateCommand.self,
            CheckCommand.self, StressCommand.self, AllocatorWorkerCommand.self, EngineCommand.self, PlanCommand.self,
            RaftLogCrashCommand.self, RaftLogCrashWriterCommand.self, RaftSafetyCommand.self,
        ])

    /// `caplab` is itself a kernel program (`--list-kernels`, `--kernel NAME --iterations K`);
    /// every other command line goes to the subcommands.
    static func main() {
        if let request = GateKernel.request(Array(CommandLine.arguments.dropFirst())) {
            Foundation.exit(GateKernel.serve(request, kernels: Kernels.all.map(\.gateKernel)))
        }
        main(nil)
    }
}

/// Turns a lab error into a message on stderr and its exit status (65 bad
/// input, 74 I/O, 64 usage; never 1, which means a finding).
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as LabError {
        FileHandle.standardError.write(Data("caplab: error: \(error.description)\n".utf8))
        throw ExitCode(error.exitStatus.rawValue)
    }
}

/// Validates experiment names against the registry as a usage error (exit
/// 64 with the registry's message), for `run`, `plot` and `merge`.
func validateExperimentNames(_ names: [String]) throws {
    do {
        _ = try Registry.all.resolve(names)
    } catch let error as LabError {
        throw ValidationError(error.description)
    }
}
