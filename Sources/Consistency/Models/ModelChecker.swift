import Dispatch

/// Linearizability of a history against any ``DataModel``, key by key
/// (P-compositionality: Horn & Kroening, FORTE 2015), each key by
/// ``ModelSearch`` within a step budget and a memo byte bound.
///
/// A `fail` operation never took effect and is dropped; an `info` (or
/// never completed) one may take effect at any time after its invocation
/// or never: its return entry sits after every other entry and the model
/// allows its step in every state (``DataModel/step(for:)``).
///
/// - Complexity: exponential in the worst case (Gibbons & Korach 1997);
///   about O(n · c) steps on real histories of n operations per key and
///   concurrency c, each one `apply` and one state hash.
public struct ModelChecker: Sendable {
    public var stepBudgetPerKey: Int
    public var memoBytesPerKey: Int
    /// Nanoseconds a key's search may run (checked inside the search every
    /// 4096 steps); nil: no time budget.
    public var timeBudgetPerKeyNanoseconds: UInt64?
    /// Bytes a key's search may hold (memo, stack, entry list); past it the
    /// key is `unknown` with reason memory. `Int.max`: no memory budget.
    public var memoryBytesPerKey: Int = .max
    /// Monotonic nanoseconds (injected so tests need no real time).
    public var clock: @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }
    /// True once the user asked to stop (SIGINT); the key in progress ends
    /// `unknown` (reason interrupted) and later keys are not checked.
    public var interrupted: @Sendable () -> Bool = { false }

    public init(stepBudgetPerKey: Int = 20_000_000, memoBytesPerKey: Int = 1 << 30) {
        self.stepBudgetPerKey = stepBudgetPerKey
        self.memoBytesPerKey = memoBytesPerKey
    }

    /// A key no run of the model explains, and a window of its operations
    /// that shows it (``ModelWindowFinder``): no run of the model from its
    /// initial state has every operation of `window` and the `context`
    /// operations take effect between invocation and completion, even
    /// letting each of `loose` take effect at any time after its invocation,
    /// or not at all.
    public struct Violation: Sendable {
        public let key: HistoryKey
        /// The key's operations the search considered.
        public let operations: Int
        /// Completed operations, by invocation.
        public let window: [ModelOperation]
        /// How many operations completed before the window's base (they take
        /// effect between invocation and completion too), and the line from
        /// which the window reaches back; 0 and nil when none.
        public let context: Int
        public let contextBeforeLine: Int?
        /// The window's base: operations completed before this history position are the context; `Int.min`: none.
        public let base: Int
        /// Other operations invoked before the window's last completion, by invocation.
        public let loose: [ModelOperation]
        /// True when no single operation can leave the window and keep it a
        /// violation; false when the explanation ran out of budget.
        public let minimised: Bool
        /// The longest sequence of the key's operations the search linearized,
        /// in linearization order (Porcupine's partial linearization).
        public let longestPrefix: [ModelOperation]
    }

    /// A key the search left undecided: why it stopped (steps, time, memory
    /// or interrupted) and the longest linearizable prefix it found.
    public struct Undecided: Sendable {
        public let key: HistoryKey
        public let steps: Int
        public let reason: String
        public let longestPrefix: [ModelOperation]
    }

    public struct Report: Sendable {
        public var model = ""
        public var verdict: LinearizabilityChecker.Verdict = .linearizable
        public var keys = 0
        public var operations = 0
        public var violations: [Violation] = []
        public var undecided: [Undecided] = []
        public var steps = 0
        public var memoFullKeys = 0
        /// The check was interrupted; `uncheckedKeys` keys were never started.
        public var interrupted = false
        public var uncheckedKeys = 0
    }

    public func check<M: DataModel>(_ operations: [ModelOperation], as model: M.Type) throws -> Report {
        var byKey: [HistoryKey: [ModelOperation]] = [:]
        for op in operations where op.outcome != .fail { byKey[op.key, default: []].append(op) }
        var report = Report()
        report.model = M.name
        report.operations = operations.count
        report.keys = byKey.count
        for (index, key) in byKey.keys.sorted().enumerated() {
            if interrupted() {
                report.interrupted = true
                report.uncheckedKeys = byKey.count - index
                break
            }
            let ops = byKey[key]!.sorted { $0.invokePosition < $1.invokePosition }
            var kept: [ModelOperation] = []
            var steps: [M.Step] = []
            for op in ops {
                guard let step = try M.step(for: op) else { continue }
                kept.append(op)
                steps.append(step)
            }
            let search = zip(kept, steps).map { ModelSearch.Operation(call: $0.invokePosition, ret: $0.completePosition, step: $1) }
            let outcome = ModelSearch.run(M.self, search, limits: .perKey(steps: stepBudgetPerKey, memoBytes: memoBytesPerKey, memoryBytes: memoryBytesPerKey,
                                                                          timeBudget: timeBudgetPerKeyNanoseconds, clock: clock, interrupted: interrupted))
            let cost = outcome.cost
            report.steps += cost.steps
            if cost.memoFull { report.memoFullKeys += 1 }
            let prefix = cost.longestPrefix.map { kept[Int($0)] }
            switch outcome {
            case .linearizable: break
            case .unknown(let c):
                let reason = (c.stopReason ?? .steps)
                report.undecided.append(Undecided(key: key, steps: c.steps, reason: reason.rawValue, longestPrefix: prefix))
                if reason == .interrupted { report.interrupted = true }
            case .notLinearizable(_, let blocking):
                report.violations.append(explain(kept, steps, key: key, blocking: blocking, longestPrefix: prefix, as: M.self))
            }
        }
        report.verdict = !report.violations.isEmpty ? .notLinearizable
            : report.undecided.isEmpty && report.uncheckedKeys == 0 ? .linearizable : .unknown
        return report
    }

    /// The shrunk window of a key the search found not linearizable, within
    /// another `stepBudgetPerKey` steps and time budget (an interrupt ends it); when that runs out before any window
    /// is found, the key's whole history from the initial state (which the
    /// search has just shown admits no run).
    func explain<M: DataModel>(_ ops: [ModelOperation], _ steps: [M.Step], key: HistoryKey, blocking: Int,
                               longestPrefix: [ModelOperation], as model: M.Type) -> Violation {
        var finder = ModelWindowFinder<M>(ops: ops, steps: steps, budget: stepBudgetPerKey, memoBytes: memoBytesPerKey)
        // The explanation gets the key's time budget afresh, and stops at an interrupt.
        finder.shouldStop = RegisterSearch.Limits.perKey(steps: 0, memoBytes: 0, memoryBytes: .max, timeBudget: timeBudgetPerKeyNanoseconds,
                                                         clock: clock, interrupted: interrupted).shouldStop
        var window: ModelWindowFinder<M>.Window
        var minimised = false
        if let found = finder.find(blocking: blocking) {
            window = found
            minimised = finder.shrink(&window)
        } else {
            window = .init(members: ops.indices.filter { ops[$0].completePosition != Int.max }, base: Int.min)
        }
        let (context, loose) = finder.surroundings(window)
        let contextLine = context.isEmpty ? nil : ops.first { $0.invokePosition >= window.base }?.invokeLine
        return Violation(key: key, operations: ops.count, window: window.members.map { ops[$0] }, context: context.count,
                         contextBeforeLine: contextLine, base: window.base, loose: loose.map { ops[$0] }, minimised: minimised, longestPrefix: longestPrefix)
    }
}

extension ModelChecker.Report {
    /// What "cannot be ordered" means in ``rendered(maxViolations:)``.
    public static let windowAssumptions = """
        ("cannot be ordered": no run of the model from its initial state has each listed operation, and each operation \
        of the key completed before the line named after "initial state" (when one is), take effect between its invocation \
        and its completion, even letting the other operations listed take effect at any time after their invocation, or not \
        at all. Any linearization of the key would contain such a run, so the key's whole history has none either.)
        """

    /// The verdict line, then each failing key's shrunk window and partial
    /// linearization, the undecided keys, then the totals.
    public func rendered(maxViolations: Int = 5, maxLines: Int = 40) -> String {
        func list(_ ops: [ModelOperation], indent: String) -> String {
            var out = ""
            for op in ops.prefix(maxLines) { out += indent + op.summary + "\n" }
            if ops.count > maxLines { out += indent + "… and \(ops.count - maxLines) more, to line \(ops.map(\.line).max() ?? 0)\n" }
            return out
        }
        var out = verdict.rawValue + "\n"
        for v in violations.prefix(maxViolations) {
            out += "key \(v.key): these \(v.window.count) operations cannot be ordered, starting from the \(model) model's initial state"
            if let line = v.contextBeforeLine {
                out += " after the \(v.context) operations completed before line \(line) (each between its invocation and completion)"
            }
            if !v.minimised { out += " (not shrunk further: the explanation ran out of budget)" }
            out += ":\n" + list(v.window, indent: "  ")
            if !v.loose.isEmpty {
                out += "  even letting these \(v.loose.count) other operations of key \(v.key) take effect at any time after their invocation, or not at all:\n"
                out += list(v.loose, indent: "    ")
            }
            out += "  longest partial linearization found: \(v.longestPrefix.count) of the key's \(v.operations) operations"
            if let last = v.longestPrefix.last { out += ", the last \(last.summary)" }
            out += "\n"
        }
        if violations.count > maxViolations { out += "… and \(violations.count - maxViolations) more keys not linearizable\n" }
        if !violations.isEmpty { out += Self.windowAssumptions + "\n" }
        for u in undecided.prefix(maxViolations) {
            out += LinearizabilityChecker.Undecided.line(key: u.key, steps: u.steps, reason: u.reason, longestPrefix: u.longestPrefix.count)
        }
        if undecided.count > maxViolations { out += "… and \(undecided.count - maxViolations) more keys undecided\n" }
        if interrupted { out += LinearizabilityChecker.Report.interruptedLine(uncheckedKeys: uncheckedKeys) }
        out += "checked \(keys) keys, \(operations) operations against the \(model) model: \(keys - violations.count - undecided.count - uncheckedKeys) linearizable, "
            + "\(violations.count) not linearizable, \(undecided.count) unknown; \(steps) search steps"
        if memoFullKeys > 0 { out += ", memo full on \(memoFullKeys) keys" }
        return out + "\n"
    }
}
