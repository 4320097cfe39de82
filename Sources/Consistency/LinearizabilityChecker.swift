import Dispatch

/// Linearizability (Herlihy & Wing, TOPLAS 1990) of read/write register
/// histories.
///
/// The search is Wing & Gong's ("Testing and verifying concurrent objects",
/// JPDC 1993) with Lowe's refinements ("Testing for linearizability",
/// Concurrency and Computation 2017), as Porcupine and Knossos implement it:
///
/// - the history is a doubly linked list of call and return entries in
///   history order; an operation is linearized *just in time* — the search
///   only ever tries the calls before the first pending return, so it never
///   orders an operation after one that completed before it was invoked;
/// - each configuration (set of linearized operations, register value) is
///   memoised, so a configuration reached by two orders is explored once;
/// - histories are split per key and each key is checked on its own
///   (P-compositionality: Horn & Kroening, FORTE 2015; linearizability is
///   local, Herlihy & Wing §3.3);
/// - a `fail` operation never took effect and is dropped; an `info` (or
///   never completed) write may take effect at any time after its
///   invocation, or never: its return entry sits after every other entry;
///   an `info` read constrains nothing and is dropped.
///
/// A key whose writes all write distinct values (CAPLab's own histories)
/// is decided without search, in O(n log n), by ``RegisterZones`` (Gibbons &
/// Korach 1997; Golab, Li & Shah, PODC 2011); the search takes the rest.
///
/// Each key's search has a step budget and a memo byte bound; a key that
/// exhausts its steps is reported `unknown` and the history's verdict is
/// `unknown` unless another key is not linearizable. The checker does not
/// guess; its memo identifies configurations by 128-bit fingerprints (see
/// ``ConfigurationMemo`` for the collision bound).
///
/// Files: this one is the API; `LinearizabilitySearch.swift` the search,
/// `ConfigurationMemo.swift` its memo, `LinearizabilityChecker+Explanation.swift`
/// the windows printed for a failing key, `LinearizabilityReport.swift` the text.
///
/// - Complexity: exponential in the worst case (the problem is NP-complete:
///   Gibbons & Korach, SIAM J. Comput. 1997); with just-in-time
///   linearization and memoisation, histories of real stores check in about
///   O(n · c) steps of O(1) each for n operations on a key and concurrency c.
public struct LinearizabilityChecker: Sendable {
    /// Search steps (entries visited) allowed per key before it is reported
    /// unknown; the explanation of a failing key may spend as many again.
    public var stepBudgetPerKey: Int
    /// Bytes of memo allowed per key's search. At the bound the memo stops
    /// storing new configurations: the search stays exact but may repeat
    /// work, and the step budget still ends it.
    public var memoBytesPerKey: Int

    /// Decide keys whose written values are all distinct by ``RegisterZones``
    /// (O(n log n), never `unknown`); false sends every key to the search
    /// (the tests compare the two).
    public var usesZones: Bool

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

    public init(stepBudgetPerKey: Int = 20_000_000, memoBytesPerKey: Int = 1 << 30, usesZones: Bool = true) {
        self.stepBudgetPerKey = stepBudgetPerKey
        self.memoBytesPerKey = memoBytesPerKey
        self.usesZones = usesZones
    }

    /// A key the search left undecided: why it stopped and the longest
    /// linearizable prefix it found (in linearization order).
    public struct Undecided: Sendable {
        /// steps, time, memory or interrupted.
        public let reason: String
        public let longestPrefix: [RegisterOperation]
    }

    public enum Verdict: String, Sendable {
        case linearizable
        case notLinearizable = "not linearizable"
        case unknown
    }

    /// A key that is not linearizable, and a window of its operations that
    /// shows it on its own: `window` (completed operations, each taking
    /// effect between its invocation and completion) admits no order even
    /// when every write in `overlappingWrites` may take effect at any time
    /// after its invocation, or not at all — whatever the register held
    /// before the window or, when `fromEmptyRegister`, starting from the
    /// empty register at the start of the history. Any linearization of the
    /// key would contain such an order, so the window is a real violation.
    public struct Violation: Sendable, Equatable {
        public let key: HistoryKey
        /// Sorted by invocation.
        public let window: [RegisterOperation]
        /// Every write of the key, not in `window`, whose interval overlaps
        /// the window's (from its first invocation, or from the start of the
        /// history when `fromEmptyRegister`, to its last completion).
        public let overlappingWrites: [RegisterOperation]
        /// The window holds only from the empty register at the start of the history.
        public let fromEmptyRegister: Bool
        /// True when no single operation can leave the window and keep it a
        /// violation; false when shrinking ran out of budget (the window is
        /// still a violation, only not a small one).
        public let minimised: Bool
    }

    public struct Report: Sendable {
        public var verdict: Verdict = .linearizable
        public var keys = 0
        public var operations = 0
        public var violations: [Violation] = []
        /// Keys whose search ran out of budget, with the steps spent.
        public var unknownKeys: [(key: HistoryKey, steps: Int)] = []
        /// Search steps over all keys (not counting explanations).
        public var steps = 0
        /// Configurations memoised over all keys, and the most for one key.
        public var memoEntries = 0
        public var maxMemoEntriesPerKey = 0
        /// Keys whose memo reached `memoBytesPerKey`.
        public var memoFullKeys = 0
        /// Keys decided by ``RegisterZones`` (unique written values) rather than the search.
        public var zoneKeys = 0
        /// Why each unknown key stopped, and its longest linearizable prefix.
        public var undecided: [HistoryKey: Undecided] = [:]
        /// The check was interrupted; `uncheckedKeys` keys were never started.
        public var interrupted = false
        public var uncheckedKeys = 0
    }

    /// Where a check is: keys and operations done, and the steps of the key in progress.
    public struct Progress: Sendable {
        public let keysDone: Int
        public let keys: Int
        public let operationsDone: Int
        public let operations: Int
        public let currentKeySteps: Int
    }

    /// Checks a history; throws ``HistoryError`` when it cannot be paired.
    public func check(_ history: History, progress: ((Progress) -> Void)? = nil) throws -> Report {
        check(try KeyedOperations(history), progress: progress)
    }

    /// Checks operations (from ``History/operations()``), key by key;
    /// `progress` is called after each key and about every 10⁶ steps within one.
    public func check(_ operations: [RegisterOperation], progress: ((Progress) -> Void)? = nil) -> Report {
        check(KeyedOperations(operations), progress: progress)
    }

    /// Checks operations already split by key (shared with ``StalenessReport``).
    public func check(_ keyed: KeyedOperations, progress: ((Progress) -> Void)? = nil) -> Report {
        var report = Report()
        let keyCount = keyed.keys.count, operationCount = keyed.operationCount
        report.operations = operationCount
        report.keys = keyCount
        var done = 0
        for (index, key) in keyed.keys.enumerated() {
            if interrupted() {
                report.interrupted = true
                report.uncheckedKeys = keyCount - index
                break
            }
            let onSteps = progress.map { report in { (steps: Int) in
                report(Progress(keysDone: index, keys: keyCount, operationsDone: done, operations: operationCount, currentKeySteps: steps))
            } }
            let (outcome, cost) = checkSearchable(keyed.searchable[index], key: key, onSteps: onSteps)
            report.steps += cost.steps
            report.memoEntries += cost.memoEntries
            report.maxMemoEntriesPerKey = max(report.maxMemoEntriesPerKey, cost.memoEntries)
            if cost.memoFull { report.memoFullKeys += 1 }
            if cost.decidedByZones { report.zoneKeys += 1 }
            switch outcome {
            case .linearizable: break
            case .unknown(let undecided):
                report.unknownKeys.append((key, cost.steps))
                report.undecided[key] = undecided
                if undecided.reason == RegisterSearch.StopReason.interrupted.rawValue { report.interrupted = true }
            case .notLinearizable(let violation): report.violations.append(violation)
            }
            done += keyed.operationCounts[index]
            progress?(Progress(keysDone: index + 1, keys: keyCount, operationsDone: done, operations: operationCount, currentKeySteps: 0))
        }
        report.verdict = !report.violations.isEmpty ? .notLinearizable
            : report.unknownKeys.isEmpty && report.uncheckedKeys == 0 ? .linearizable : .unknown
        return report
    }

    public enum KeyOutcome: Sendable {
        case linearizable
        case notLinearizable(Violation)
        case unknown(Undecided)
    }

    /// What one key's search spent.
    public struct KeyCost: Sendable {
        public var steps = 0
        public var memoEntries = 0
        public var memoFull = false
        /// Decided by ``RegisterZones``: no search ran.
        public var decidedByZones = false
    }

    /// Checks the operations of one key.
    public func checkKey(_ operations: [RegisterOperation], onSteps: ((Int) -> Void)? = nil) -> (KeyOutcome, KeyCost) {
        checkSearchable(Self.searchable(operations), key: operations.first?.key ?? 0, onSteps: onSteps)
    }

    /// ``checkKey(_:onSteps:)`` on operations already through ``searchable(_:)``.
    func checkSearchable(_ ops: [RegisterOperation], key: HistoryKey, onSteps: ((Int) -> Void)? = nil) -> (KeyOutcome, KeyCost) {
        if usesZones, let verdict = RegisterZones.check(ops) {
            var cost = KeyCost()
            cost.decidedByZones = true
            switch verdict {
            case .linearizable: return (.linearizable, cost)
            case .notLinearizable(let blocking, let clusters):
                let values = Set(clusters)
                let guess = ops.indices.filter { values.contains(ops[$0].value) && ops[$0].completePosition != Int.max }
                return (.notLinearizable(explain(ops, key: key, blocking: blocking, guess: guess)), cost)
            }
        }
        var values = ValueTable()
        let search = ops.map { values.searchOperation($0) }
        let outcome = RegisterSearch.run(search, initial: 0, limits: .perKey(steps: stepBudgetPerKey, memoBytes: memoBytesPerKey, memoryBytes: memoryBytesPerKey,
                                                                             timeBudget: timeBudgetPerKeyNanoseconds, clock: clock, interrupted: interrupted,
                                                                             onSteps: onSteps))
        let c = outcome.cost
        let cost = KeyCost(steps: c.steps, memoEntries: c.memoEntries, memoFull: c.memoFull)
        switch outcome {
        case .linearizable: return (.linearizable, cost)
        case .unknown(let c):
            return (.unknown(Undecided(reason: (c.stopReason ?? .steps).rawValue, longestPrefix: c.longestPrefix.map { ops[Int($0)] })), cost)
        case .notLinearizable(_, let blocking): return (.notLinearizable(explain(ops, key: key, blocking: blocking)), cost)
        }
    }

    /// The operations the search considers, by invocation: a `fail` never
    /// took effect and an `info` read constrains nothing.
    static func searchable(_ operations: [RegisterOperation]) -> [RegisterOperation] {
        operations.filter { $0.outcome != .fail && !($0.function == .read && $0.outcome == .info) }
            .sorted { $0.invokePosition < $1.invokePosition }
    }
}
