import ArgumentParser
import Foundation
import Lab

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a what-if scenario file (YAML) in the quorum simulator: every combination of its grid, one CSV row each.",
        discussion: """
            Scenario files live in Benchmarks/Scenarios/; each key is commented there. \
            The same file and seed give the same CSV bytes.
            Example:  caplab simulate Benchmarks/Scenarios/two-datacenters.yaml --quick
            """)

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Flag(name: .long, help: "Run quick_operations per combination instead of operations.")
    var quick = false

    @Option(name: .long, help: "Also write the CSV to this file.")
    var out: String?

    @Option(name: .long, help: "Output on stdout: table or csv.")
    var format: String = "table"

    func validate() throws {
        if format != "table" && format != "csv" { throw ValidationError("--format: expected table or csv, got '\(format)'") }
    }

    func run() throws {
        let scenario: Scenario
        do {
            scenario = try Scenario.load(path: file)
        } catch let error as Scenario.Error {
            FileHandle.standardError.write(Data("caplab simulate: error: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
        let table = ScenarioRunner.run(scenario, quick: quick)
        if table.rows.isEmpty {
            FileHandle.standardError.write(Data("caplab simulate: error: \(file): the grid has no point to run (every R or W exceeds every N, or a grid list is empty)\n".utf8))
            throw ExitCode.failure
        }
        if let out {
            do {
                try table.rendered().write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                FileHandle.standardError.write(Data("caplab simulate: error: cannot write '\(out)': \(error.localizedDescription)\n".utf8))
                throw ExitCode.failure
            }
        }
        if format == "csv" {
            print(table.rendered(), terminator: "")
        } else {
            print("scenario \(scenario.name): \(table.rows.count) configurations\n")
            print(TextTable.render(table, columns: ["protocol", "model", "n", "r", "w", "read_repair", "sloppy_quorum", "read_p99_ms", "write_p99_ms",
                                                    "stale_fraction", "failed_fraction", "messages_per_op"]), terminator: "")
        }
    }
}
