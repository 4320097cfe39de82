import ArgumentParser
import Experiments
import Foundation
import Lab

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Assemble the CSVs of a sharded run (`caplab run --shard I/N`) from the shards' journals.",
        discussion: """
            Reads <dir>/<name>.journal/ from every --from directory (one per shard, or one shared directory), \
            checks that every grid point is there once and that all shards used one seed and scale, and writes \
            <out>/<name>.csv, .meta.json and .samples.csv exactly as one run would have (nothing is measured). \
            With no names, merges every experiment that has a journal in some --from directory.
            """)

    @Argument(help: "Experiments to merge (default: every one journaled in a --from directory).")
    var names: [String] = []

    @Option(name: .long, parsing: .upToNextOption, help: "Output directories of the shards.")
    var from: [String] = []

    @Option(name: .long, help: "Directory for the merged CSV and metadata files.")
    var out: String = "results"

    func validate() throws {
        if from.isEmpty { throw ValidationError("give the shards' output directories with --from DIR...") }
        try validateExperimentNames(names)
    }

    func run() throws {
        print(try reportingErrors {
            try Registry.all.merge(names, shards: from.map { URL(fileURLWithPath: $0) }, output: URL(fileURLWithPath: out),
                                   commandLine: CommandLine.arguments)
        }, terminator: "")
    }
}
