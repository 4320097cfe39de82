import ArgumentParser
import Lab

/// The linearizability checker's budgets, shared by `caplab check` and `caplab stress`.
struct CheckerOptions: ParsableArguments {
    @Option(name: .long, help: "Search steps allowed per key before it is reported unknown (its explanation may spend as many again).")
    var budget: Int = 20_000_000

    @Option(name: .customLong("memo-mb"), help: "Megabytes of search memo per key; at the bound the memo stops growing (the verdict stays exact, the step budget still applies).")
    var memoMB: Int = 1_024

    func validate() throws {
        if budget < 1 { throw ValidationError("--budget: expected a positive number of steps") }
        if memoMB < 1 { throw ValidationError("--memo-mb: expected a positive number of megabytes") }
    }

    var memoBytes: Int { memoMB << 20 }
}
