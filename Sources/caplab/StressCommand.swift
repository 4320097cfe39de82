import ArgumentParser
import Foundation
import Lab

struct StressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress",
        abstract: "Run a scenario file on the threaded runtime (real threads and clock) and check each run's history for linearizability.",
        discussion: """
            The same scenario files as `caplab simulate` (crashes and closed-loop workloads are not supported here); \
            threads.clients and threads.replicas set the thread counts, grid.protocol chooses dynamo and/or abd. \
            The CSV has the columns of `caplab simulate` plus thread counts, throughput, the timer's delivery-time \
            error, and the checker's verdict with its key counts.
            Example:  caplab stress Benchmarks/Scenarios/linearizability.yaml --quick --history h.edn
            """)

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Flag(name: .long, help: "Run quick_operations per combination instead of operations.")
    var quick = false

    @Option(name: .long, help: "Save each run's history here (.edn: Jepsen EDN, otherwise JSON lines; -<index> is added when the grid has several combinations).")
    var history: String?

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
            FileHandle.standardError.write(Data("caplab stress: error: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
        let table: CSVTable
        do {
            table = try StressRunner.run(scenario, quick: quick, historyPath: history)
        } catch {
            FileHandle.standardError.write(Data("caplab stress: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        if let out {
            do {
                try table.rendered().write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                FileHandle.standardError.write(Data("caplab stress: error: cannot write '\(out)': \(error.localizedDescription)\n".utf8))
                throw ExitCode.failure
            }
        }
        if format == "csv" {
            print(table.rendered(), terminator: "")
        } else {
            print("scenario \(scenario.name): \(table.rows.count) configurations on threads\n")
            print(TextTable.render(table, columns: ["protocol", "model", "n", "r", "w", "read_repair", "read_p99_ms", "write_p99_ms",
                                                    "stale_fraction", "delivery_error_p99_us", "verdict", "keys_not_linearizable"]), terminator: "")
        }
    }
}
