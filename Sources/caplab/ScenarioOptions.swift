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

    /// The scenario, or an error naming the file, line and key (exit 65;
    /// 74 when the file cannot be read). Checks that `--out` can be written
    /// before anything runs.
    func load(command: String) throws -> Scenario {
        let scenario: Scenario
        do {
            scenario = try Scenario.load(path: file)
        } catch let error as Scenario.Error {
            fail(command, error.description, status: error.isUnreadable ? .ioError : .badInput)
        }
        if let out { checkWritable(out, command: command) }
        return scenario
    }

    /// Fails (exit 74) unless `path` can be written.
    func checkWritable(_ path: String, command: String) {
        do { try OutputProbe.check(file: path) } catch let error as LabError {
            fail(command, error.description, status: .ioError)
        } catch {
            fail(command, "\(error)", status: .ioError)
        }
    }

    /// Says up front how much a run will do, when it is long (more than
    /// `longRunOperations` operations in all): progress follows on a
    /// terminal, and Ctrl-C stops it without writing `--out`.
    func announce(_ scenario: Scenario, command: String) {
        let points = ScenarioRunner.combinationCount(scenario)
        let operations = quick ? scenario.quickOperations : scenario.operations
        let total = Double(points) * Double(operations)
        guard total > Self.longRunOperations else { return }
        FileHandle.standardError.write(Data(("caplab \(command): note: a long run: \(points) combinations × \(operations) operations "
            + "= \(String(format: "%.3g", total)) operations (the simulator does roughly a million a second per core); "
            + "progress is shown on a terminal; Ctrl-C stops it and writes no --out file\n").utf8))
    }

    /// Above this many operations in all, ``announce(_:command:)`` speaks.
    static let longRunOperations = 50_000_000.0

    /// Writes `--out` if given, then the table (or CSV) on stdout.
    func emit(_ table: CSVTable, command: String, title: String, columns: [String]) throws {
        if table.rows.isEmpty {
            fail(command, "\(file): the grid has no point to run (every R or W exceeds every N, or a grid list is empty)")
        }
        if let out {
            do {
                try AtomicFile.write(table.rendered(), to: URL(fileURLWithPath: out))
            } catch {
                fail(command, "cannot write '\(out)': \(error)", status: .ioError)
            }
        }
        if format == "csv" {
            print(table.rendered(), terminator: "")
        } else {
            print("\(title)\n")
            print(TextTable.render(table, columns: columns), terminator: "")
        }
    }

    func fail(_ command: String, _ message: String, status: ExitStatus = .badInput) -> Never {
        FileHandle.standardError.write(Data("caplab \(command): error: \(message)\n".utf8))
        Self.exit(withError: ExitCode(status.rawValue))
    }
}
