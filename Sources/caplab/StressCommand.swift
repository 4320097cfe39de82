import ArgumentParser
import Foundation
import Lab
import Scenarios

struct StressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress",
        abstract: "Run a scenario file on the threaded runtime (real threads and clock) and check each run's history for linearizability.",
        discussion: """
            The same scenario files as `caplab simulate` (crashes and closed-loop workloads are not supported here); \
            threads.clients and threads.replicas set the thread counts, grid.protocol chooses dynamo and/or abd. \
            The CSV has the columns of `caplab simulate` plus thread counts, throughput, the timer's delivery-time \
            error, and the checker's verdict with its key counts.
            Each history is written (with --history) before it is checked; the check shows its progress on a terminal \
            and has the budgets of `caplab check` (--budget, --memo-mb).
            Example:  caplab stress Benchmarks/Scenarios/linearizability.yaml --quick --history h.edn
            """)

    @OptionGroup var options: ScenarioOptions

    @Option(name: .long, help: "Save each run's history here (.edn: Jepsen EDN, otherwise JSON lines; -<index> is added when the grid has several combinations).")
    var history: String?

    @OptionGroup var checker: CheckerOptions

    func run() throws {
        let scenario = try options.load(command: "stress")
        if let history { options.checkWritable(history, command: "stress") }
        options.announce(scenario, command: "stress")
        let table: CSVTable
        do {
            table = try StressRunner.run(scenario, quick: options.quick, historyPath: history, stepBudgetPerKey: checker.budget, memoBytesPerKey: checker.memoBytes,
                                         interactive: ProgressReporter.stderrIsTerminal)
        } catch {
            // A scenario the threaded runtime cannot run is bad input; a history that cannot be written, I/O.
            options.fail("stress", "\(error)", status: "\(error)".hasPrefix("cannot write") ? .ioError : .badInput)
        }
        try options.emit(
            table, command: "stress", title: "scenario \(scenario.name): \(table.rows.count) configurations on threads",
            columns: ["protocol", "model", "n", "r", "w", "read_repair", "read_p99_ms", "write_p99_ms",
                      "stale_fraction", "delivery_error_p99_us", "verdict", "keys_not_linearizable"])
    }
}
