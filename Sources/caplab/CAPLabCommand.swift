import ArgumentParser
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
            """,
        subcommands: [
            ListCommand.self, RunCommand.self, PlotCommand.self,
            PBSCommand.self, SimulateCommand.self, RingCommand.self,
            CompareCommand.self, KernelCommand.self, GateCommand.self,
            CheckCommand.self, StressCommand.self, AllocatorWorkerCommand.self, EngineCommand.self, RaftSafetyCommand.self,
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

/// Turns a lab error into a message on stderr and exit status 1.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as LabError {
        FileHandle.standardError.write(Data("caplab: error: \(error.description)\n".utf8))
        throw ExitCode.failure
    }
}
