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
            Budgets per key (--budget steps, --time-budget, --memory-budget) are checked inside the search \
            every 4096 steps; a key that exhausts one is unknown, with the reason and the length of the longest \
            linearizable prefix found. Ctrl-C stops the key in progress and prints what was decided so far.
            Exit status: 0 linearizable, 1 not linearizable, 2 unknown (a key ran out of search budget), \
            65 unreadable input (the failing line is named) or no client operation, 130 interrupted (SIGINT). \
            The last line is the process's peak resident memory.
            """)

    @Argument(help: "The history file.")
    var file: String

    @OptionGroup var checker: CheckerOptions

    @Flag(name: .customLong("search-only"), help: "Search every key, also those the zones would decide (to compare the two, or to see the budgets act).")
    var searchOnly = false

    @Option(name: .customLong("time-budget"), help: "Seconds of search per key (checked every 4096 steps); past it the key is unknown (reason time).")
    var timeBudget: Double?

    @Option(name: .customLong("memory-budget"), help: "Megabytes of search state per key (memo, stack, entry list); past it the key is unknown (reason memory).")
    var memoryBudgetMB: Int?

    @Option(name: .customLong("html"), help: "Also write one self-contained page (no network, no scripts) drawing every key: bars per process, the non-linearizable window, the longest partial linearization, info operations, fault windows.")
    var html: String?

    func validate() throws {
        if let t = timeBudget, !(t > 0 && t < 1e9) { throw ValidationError("--time-budget: expected a positive number of seconds") }
        if let m = memoryBudgetMB, !(m >= 1 && m < 1 << 40) { throw ValidationError("--memory-budget: expected a positive number of megabytes") }
    }

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
        let interrupt = InterruptFlag.installForSIGINT()
        let outcome = HistoryCheck.run(path: file, stepBudgetPerKey: checker.budget, memoBytesPerKey: checker.memoBytes, usesZones: !searchOnly,
                                       timeBudgetPerKeyNanoseconds: timeBudget.map { UInt64($0 * 1e9) },
                                       memoryBytesPerKey: memoryBudgetMB.map { $0 << 20 } ?? .max,
                                       interrupted: { interrupt.isSet }, htmlPath: html, model: kind)
        print(outcome.stdout, terminator: "")
        if !outcome.stdout.isEmpty, let peak = PeakMemory.residentBytes() {
            print("peak RSS: \(peak >> 20) MB (getrusage ru_maxrss: parsing, checking and the staleness report)")
        }
        if !outcome.stderr.isEmpty { FileHandle.standardError.write(Data(outcome.stderr.utf8)) }
        if outcome.status != 0 { throw ExitCode(outcome.status) }
    }
}
