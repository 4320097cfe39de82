import ArgumentParser
import Experiments
import Foundation
import Lab

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run experiments and write <out>/<name>.csv and <out>/<name>.meta.json.",
        discussion: """
            With no names, runs every experiment (`caplab list` shows them). \
            Progress is drawn on stderr when it is a terminal; otherwise one line is printed per finished experiment. \
            Each file is written to a temporary name and renamed, so an interrupted run never leaves a partial CSV.
            """)

    @Argument(help: "Experiments to run (default: all).")
    var names: [String] = []

    @Flag(name: .long, help: "A reduced grid that runs every experiment in well under a minute (CI, smoke tests).")
    var quick = false

    @Flag(name: .long, help: "The largest grid: more sizes and more samples; takes much longer.")
    var full = false

    @Option(name: .long, help: "Seed for every random input; the same seed gives the same inputs.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Directory for CSV and metadata files.")
    var out: String = "results"

    func validate() throws {
        if quick && full { throw ValidationError("--quick and --full are exclusive") }
        do {
            _ = try Registry.all.resolve(names)
        } catch let error as LabError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let options = RunOptions(
            scale: quick ? .quick : (full ? .full : .standard),
            seed: seed,
            outputDirectory: URL(fileURLWithPath: out),
            commandLine: CommandLine.arguments,
            interactive: ProgressReporter.stderrIsTerminal)
        print(try reportingErrors { try Registry.all.run(names, options: options) }, terminator: "")
    }
}
