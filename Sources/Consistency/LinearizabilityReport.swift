extension RegisterOperation {
    /// `write 3` / `read → 3` / `read → nil`, with outcome and source lines.
    public var summary: String {
        let v = value.map(String.init) ?? "nil"
        let what = function == .write ? "write \(v)" : "read → \(v)"
        let lines = completeLine > 0 ? "lines \(invokeLine)–\(completeLine)" : "line \(invokeLine), never completed"
        return "\(lines): process \(process) \(what) (\(outcome.rawValue))"
    }
}

extension LinearizabilityChecker.Report {
    /// The verdict on the first line, then the keys that failed or were not
    /// decided, then totals. At most `maxViolations` windows are printed.
    public func rendered(maxViolations: Int = 5) -> String {
        var out = verdict.rawValue + "\n"
        for violation in violations.prefix(maxViolations) {
            let what = violation.minimised
                ? "these \(violation.window.count) operations cannot be ordered, whatever the register held before them"
                : "no linearization gets past the operations below (no smaller self-contained window found)"
            out += "key \(violation.key): \(what):\n"
            for op in violation.window { out += "  " + op.summary + "\n" }
        }
        if violations.count > maxViolations { out += "… and \(violations.count - maxViolations) more keys not linearizable\n" }
        for (key, steps) in unknownKeys.prefix(maxViolations) {
            out += "key \(key): gave up after \(steps) search steps (budget exhausted); no verdict for this key\n"
        }
        if unknownKeys.count > maxViolations { out += "… and \(unknownKeys.count - maxViolations) more keys undecided\n" }
        out += "\(operations) operations on \(keys) keys: \(keys - violations.count - unknownKeys.count) linearizable, "
            + "\(violations.count) not linearizable, \(unknownKeys.count) unknown; \(steps) search steps\n"
        return out
    }
}
