import ArgumentParser
import Foundation
import Lab
import Scenarios

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a what-if scenario file (YAML) in the quorum simulator: every combination of its grid, one CSV row each.",
        discussion: """
            Scenario files live in Benchmarks/Scenarios/; each key is commented there. \
            The same file and seed give the same CSV bytes.
            Example:  caplab simulate Benchmarks/Scenarios/two-datacenters.yaml --quick
            """)

    @OptionGroup var options: ScenarioOptions

    func run() throws {
        let scenario = try options.load(command: "simulate")
        options.announce(scenario, command: "simulate")
        let progress = ProgressReporter(experiment: "simulate", totalSteps: ScenarioRunner.combinationCount(scenario),
                                        interactive: ProgressReporter.stderrIsTerminal)
        let table = ScenarioRunner.run(scenario, quick: options.quick, progress: { progress.advance($0) },
                                       warn: { FileHandle.standardError.write(Data("caplab simulate: warning: \($0)\n".utf8)) })
        progress.finish()
        try options.emit(
            table, command: "simulate", title: "scenario \(scenario.name): \(table.rows.count) configurations",
            columns: ["protocol", "model", "n", "r", "w", "read_repair", "sloppy_quorum", "read_p99_ms", "write_p99_ms",
                      "stale_fraction", "failed_fraction", "messages_per_op", "versioning", "siblings_per_read", "lost_write_fraction"])
    }
}
