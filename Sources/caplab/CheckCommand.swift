import ArgumentParser
import Consistency
import Foundation
import Lab
import Tools

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a history for linearizability against a register, cas-register, kv or set model (JSON lines or Jepsen EDN).",
        discussion: """
            One event per line: {"type":"invoke","f":"write","process":0,"key":7,"value":3} or \
            {:type :invoke, :f :write, :value 3, :process 0} (multi-key: :value [key value]). \
            The first line of output is linearizable, not linearizable or unknown; when not, the \
            operations that cannot be ordered follow. A key whose writes all write distinct values is decided \
            exactly in O(n log n) (zones: Gibbons & Korach 1997; Golab, Li & Shah 2011) and is never unknown; \
            other keys are searched within the budgets below. \
            Then how stale each such key is: the smallest Δ for which it is Δ-atomic (reads' starts moved Δ \
            earlier; Golab, Li & Shah 2011; ns when events carry :time) and how many versions behind each read is. \
            Keys may be integers, keywords or strings; only :nemesis events are skipped (and counted).
            Exit status: 0 linearizable, 1 not linearizable, 2 unknown (a key ran out of search budget), \
            65 unreadable input (the failing line is named) or no client operation.
            """)

    @Argument(help: "The history file.")
    var file: String

    @OptionGroup var checker: CheckerOptions

    @Flag(name: .customLong("search-only"), help: "Search every key, also those the zones would decide (to compare the two, or to see the budgets act).")
    var searchOnly = false

    @Option(help: ArgumentHelp("The data model: register, cas-register (:read, :write, :cas [old new]), kv (:get, :put, :append on string values) or set (:add, :remove, :read of the whole set). Inferred from the operations when not given (kv if any :get/:put/:append, else cas-register if any :cas, else set if any :add/:remove, else register); the output's last lines name the model and why.", valueName: "model"))
    var model: String?

    func run() throws {
        var kind: ModelKind?
        if let model {
            guard let k = ModelKind(rawValue: model) else {
                throw ValidationError("--model: expected one of \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")), got '\(model)'")
            }
            kind = k
        }
        let outcome = HistoryCheck.run(path: file, stepBudgetPerKey: checker.budget, memoBytesPerKey: checker.memoBytes, usesZones: !searchOnly, model: kind)
        print(outcome.stdout, terminator: "")
        if !outcome.stderr.isEmpty { FileHandle.standardError.write(Data(outcome.stderr.utf8)) }
        if outcome.status != 0 { throw ExitCode(outcome.status) }
    }
}
