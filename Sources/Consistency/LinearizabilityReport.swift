extension RegisterOperation {
    /// `write 3` / `read → 3` / `read → nil`, with outcome and source lines.
    public var summary: String {
        let v = value.map(String.init) ?? "nil"
        let what = function == .write ? "write \(v)" : "read → \(v)"
        let lines = completeLine > 0 ? "lines \(invokeLine)–\(completeLine)" : "line \(invokeLine), never completed"
        return "\(lines): process \(process) \(what) (\(outcome.rawValue))"
    }
}

extension LinearizabilityChecker.Violation {
    /// The window's operations and the writes it lets take effect, at most
    /// `maxLines` of each (a window that is a key's whole history can be long).
    public func rendered(maxLines: Int = 40) -> String {
        func list(_ ops: [RegisterOperation], indent: String) -> String {
            var out = ""
            for op in ops.prefix(maxLines) { out += indent + op.summary + "\n" }
            if ops.count > maxLines { out += indent + "… and \(ops.count - maxLines) more, to line \(ops.map(\.completeLine).max() ?? 0)\n" }
            return out
        }
        let before = fromEmptyRegister ? "starting from the empty register" : "whatever the register held before them"
        var out = "key \(key): these \(window.count) operations cannot be ordered, \(before)"
        if !minimised { out += " (not shrunk further: the explanation ran out of budget)" }
        out += ":\n" + list(window, indent: "  ")
        if !overlappingWrites.isEmpty {
            out += "  even letting these \(overlappingWrites.count) overlapping writes of key \(key) take effect at any time after their invocation, or not at all:\n"
            out += list(overlappingWrites, indent: "    ")
        }
        return out
    }
}

extension LinearizabilityChecker.Report {
    /// What "cannot be ordered" means in ``rendered(maxViolations:)``.
    public static let windowAssumptions = """
        ("cannot be ordered": no order of the listed operations, each taking effect between its invocation and its \
        completion, is a run of one register; writes of the key that overlap them may take effect or not, as listed; \
        other reads of the key and other keys play no part. So the key's whole history has no linearization either.)
        """

    /// The verdict on the first line, then the keys that failed or were not
    /// decided, then totals. At most `maxViolations` windows are printed.
    public func rendered(maxViolations: Int = 5) -> String {
        var out = verdict.rawValue + "\n"
        for violation in violations.prefix(maxViolations) { out += violation.rendered() }
        if violations.count > maxViolations { out += "… and \(violations.count - maxViolations) more keys not linearizable\n" }
        if !violations.isEmpty { out += Self.windowAssumptions + "\n" }
        for (key, steps) in unknownKeys.prefix(maxViolations) {
            out += LinearizabilityChecker.Undecided.line(key: key, steps: steps, reason: undecided[key]?.reason ?? "steps",
                                                         longestPrefix: undecided[key]?.longestPrefix.count)
        }
        if unknownKeys.count > maxViolations { out += "… and \(unknownKeys.count - maxViolations) more keys undecided\n" }
        if interrupted { out += Self.interruptedLine(uncheckedKeys: uncheckedKeys) }
        out += "\(operations) operations on \(keys) keys: \(keys - violations.count - unknownKeys.count - uncheckedKeys) linearizable, "
            + "\(violations.count) not linearizable, \(unknownKeys.count) unknown; \(steps) search steps, "
            + "\(memoEntries) memo entries (at most \(maxMemoEntriesPerKey) for one key"
            + (memoFullKeys > 0 ? "; \(memoFullKeys) keys reached the memo bound" : "") + ")"
            + (zoneKeys > 0 ? "; \(zoneKeys) keys decided by zones (unique written values, no search)" : "") + "\n"
        return out
    }
}

extension LinearizabilityChecker.Undecided {
    /// `key 3: gave up after 100001 search steps (step budget exhausted); no verdict for this key; longest
    /// linearizable prefix found: 16 operations`: the line for an undecided key, registers and models alike.
    public static func line(key: HistoryKey, steps: Int, reason: String, longestPrefix: Int?) -> String {
        let why: String
        switch reason {
        case "time": why = "time budget exhausted"
        case "memory": why = "memory budget exhausted"
        case "interrupted": why = "interrupted"
        default: why = "step budget exhausted"
        }
        var out = "key \(key): gave up after \(steps) search steps (\(why)); no verdict for this key"
        if let longestPrefix { out += "; longest linearizable prefix found: \(longestPrefix) operations" }
        return out + "\n"
    }
}

extension LinearizabilityChecker.Report {
    /// The line after an interrupted check's verdicts (registers and models alike).
    public static func interruptedLine(uncheckedKeys: Int) -> String {
        "interrupted: \(uncheckedKeys) keys not checked; the verdicts above are what was decided so far\n"
    }
}
