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
            Each finished grid point is journaled in <out>/<name>.journal/; Ctrl-C removes scratch files, says what finished \
            and how to resume, and `--resume` measures only what is missing (same seed: the same CSV, timing columns aside). \
            A CSV, its meta.json and its samples sidecar are written together once every point is in, or not at all. \
            `--shard I/N` measures the I-th of N parts of every experiment's grid into the journals (no CSV); \
            `caplab merge` assembles the CSVs from the shards' journals.
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

    @Flag(name: .long, help: "Complete an interrupted run: replay the grid points journaled in <out>, measure the rest.")
    var resume = false

    @Option(name: .long, help: "Measure only shard I of N (1 ≤ I ≤ N) of each grid into <out>'s journals; combine with `caplab merge`.")
    var shard: String?

    func validate() throws {
        if quick && full { throw ValidationError("--quick and --full are exclusive") }
        if let shard, Shard(parsing: shard) == nil {
            throw ValidationError("--shard expects I/N with 1 ≤ I ≤ N (such as 2/8), got '\(shard)'")
        }
        try validateExperimentNames(names)
    }

    func run() throws {
        var options = RunOptions(
            scale: quick ? .quick : (full ? .full : .standard),
            seed: seed,
            outputDirectory: URL(fileURLWithPath: out),
            commandLine: CommandLine.arguments,
            interactive: ProgressReporter.stderrIsTerminal)
        options.mode = shard.flatMap(Shard.init(parsing:)).map(RunMode.shard) ?? (resume ? .resume : .fresh)
        options.handleSignals = true
        print(try reportingErrors { try Registry.all.run(names, options: options) }, terminator: "")
    }
}
