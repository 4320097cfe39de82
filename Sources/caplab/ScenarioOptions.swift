import ArgumentParser
import Foundation
import Lab
import Scenarios

/// What `caplab simulate` and `caplab stress` share: the scenario file,
/// `--quick`, `--out` and `--format`, loading the file with errors that
/// name the file and key, and writing the resulting table.
struct ScenarioOptions: ParsableArguments {
    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Flag(name: .long, help: "Run quick_operations per combination instead of operations.")
    var quick = false

    @Option(name: .long, help: "Also write the CSV to this file (written to a temporary name, then renamed).")
    var out: String?

    @Option(name: .long, help: "Output on stdout: table or csv.")
    var format: String = "table"

    func validate() throws {
        if format != "table" && format != "csv" { throw ValidationError("--format: expected table or csv, got '\(format)'") }
    }

    /// The scenario, or an error naming the file and key and exit status 1.
    func load(command: String) throws -> Scenario {
        do {
            return try Scenario.load(path: file)
        } catch let error as Scenario.Error {
            fail(command, error.description)
        }
    }

    /// Writes `--out` if given, then the table (or CSV) on stdout.
    func emit(_ table: CSVTable, command: String, title: String, columns: [String]) throws {
        if table.rows.isEmpty {
            fail(command, "\(file): the grid has no point to run (every R or W exceeds every N, or a grid list is empty)")
        }
        if let out {
            do {
                try AtomicFile.write(table.rendered(), to: URL(fileURLWithPath: out))
            } catch {
                fail(command, "cannot write '\(out)': \(error)")
            }
        }
        if format == "csv" {
            print(table.rendered(), terminator: "")
        } else {
            print("\(title)\n")
            print(TextTable.render(table, columns: columns), terminator: "")
        }
    }

    func fail(_ command: String, _ message: String) -> Never {
        FileHandle.standardError.write(Data("caplab \(command): error: \(message)\n".utf8))
        Self.exit(withError: ExitCode.failure)
    }
}
