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
/// Each key's search has a step budget; a key that exhausts it is reported
/// `unknown` and the history's verdict is `unknown` unless another key is
/// not linearizable. The checker never guesses.
///
/// - Complexity: exponential in the worst case (the problem is NP-complete:
///   Gibbons & Korach, SIAM J. Comput. 1997); with just-in-time
///   linearization and memoisation, histories of real stores check in about
///   O(n · c · n/64) for n operations on a key and concurrency c.
public struct LinearizabilityChecker: Sendable {
    /// Search steps (entries visited) allowed per key before it is reported unknown.
    public var stepBudgetPerKey: Int
    /// The largest window the explanation of a failure starts from.
    public var maxWindowOperations: Int

    public init(stepBudgetPerKey: Int = 20_000_000, maxWindowOperations: Int = 32) {
        self.stepBudgetPerKey = stepBudgetPerKey
        self.maxWindowOperations = maxWindowOperations
    }

    public enum Verdict: String, Sendable {
        case linearizable
        case notLinearizable = "not linearizable"
        case unknown
    }

    /// A key that is not linearizable, and a small set of its operations
    /// that admit no order whatever value the register held before them.
    public struct Violation: Sendable, Equatable {
        public let key: Int64
        public let window: [RegisterOperation]
        /// False when no self-contained window was found; `window` then holds
        /// the operations around the point where the search failed.
        public let minimised: Bool
    }

    public struct Report: Sendable {
        public var verdict: Verdict = .linearizable
        public var keys = 0
        public var operations = 0
        public var violations: [Violation] = []
        /// Keys whose search ran out of budget, with the steps spent.
        public var unknownKeys: [(key: Int64, steps: Int)] = []
        /// Search steps over all keys.
        public var steps = 0
    }

    /// Checks a history; throws ``HistoryError`` when it cannot be paired.
    public func check(_ history: History) throws -> Report {
        check(try history.operations())
    }

    /// Checks operations (from ``History/operations()``), key by key.
    public func check(_ operations: [RegisterOperation]) -> Report {
        var byKey: [Int64: [RegisterOperation]] = [:]
        for op in operations { byKey[op.key, default: []].append(op) }
        var report = Report()
        report.operations = operations.count
        report.keys = byKey.count
        for key in byKey.keys.sorted() {
            let ops = byKey[key]!
            let outcome = checkKey(ops)
            switch outcome {
            case .linearizable(let steps):
                report.steps += steps
            case .unknown(let steps):
                report.steps += steps
                report.unknownKeys.append((key, steps))
            case .notLinearizable(let steps, let violation):
                report.steps += steps
                report.violations.append(violation)
            }
        }
        report.verdict = !report.violations.isEmpty ? .notLinearizable : report.unknownKeys.isEmpty ? .linearizable : .unknown
        return report
    }

    public enum KeyOutcome: Sendable {
        case linearizable(steps: Int)
        case notLinearizable(steps: Int, Violation)
        case unknown(steps: Int)
    }

    /// Checks the operations of one key.
    public func checkKey(_ operations: [RegisterOperation]) -> KeyOutcome {
        let key = operations.first?.key ?? 0
        let ops = operations.filter { $0.outcome != .fail && !($0.function == .read && $0.outcome == .info) }
            .sorted { $0.invokePosition < $1.invokePosition }
        var values = ValueTable()
        let search = ops.map { values.searchOperation($0) }
        switch RegisterSearch.run(search, initial: 0, budget: stepBudgetPerKey) {
        case .linearizable(let steps):
            return .linearizable(steps: steps)
        case .unknown(let steps):
            return .unknown(steps: steps)
        case .notLinearizable(let steps, let blocking):
            return .notLinearizable(steps: steps, explain(ops, key: key, blocking: blocking))
        }
    }

    /// A small window of `ops` that cannot be ordered from any initial value:
    /// the operations invoked before a cut at or after the failing return
    /// (cuts tried at exponentially growing distances), at most
    /// `maxWindowOperations` of them, then shrunk greedily one operation at a time.
    func explain(_ ops: [RegisterOperation], key: Int64, blocking: Int) -> Violation {
        func window(cut: Int) -> [RegisterOperation] {
            var w: [RegisterOperation] = []
            for op in ops where op.invokePosition < cut {
                if op.completePosition > cut {
                    // Still running at the cut: a read tells nothing yet; a write may take effect later or never.
                    if op.function == .read { continue }
                    w.append(RegisterOperation(process: op.process, key: op.key, function: op.function, value: op.value, outcome: .info,
                                               invokePosition: op.invokePosition, completePosition: Int.max,
                                               invokeLine: op.invokeLine, completeLine: op.completeLine))
                } else {
                    w.append(op)
                }
            }
            if w.count > maxWindowOperations { w.removeFirst(w.count - maxWindowOperations) }
            return w
        }
        let cuts = ops.map(\.completePosition).filter { $0 >= blocking && $0 != Int.max }.sorted() + [Int.max]
        var step = 0
        while step < cuts.count {
            var candidate = window(cut: cuts[step])
            if Self.unorderable(candidate) {
                // Shrink, but keep the write of every value a remaining read returns: a read
                // of a value nobody in the window writes would "explain" nothing.
                // Passes until nothing more can go (a write may go once its readers have).
                var removed = true
                while removed {
                    removed = false
                    var i = 0
                    while i < candidate.count {
                        let op = candidate[i]
                        if op.function == .write && candidate.contains(where: { $0.function == .read && $0.value == op.value }) {
                            i += 1
                            continue
                        }
                        var smaller = candidate
                        smaller.remove(at: i)
                        if Self.unorderable(smaller) {
                            candidate = smaller
                            removed = true
                        } else {
                            i += 1
                        }
                    }
                }
                // Report the operations as recorded (with their real completions).
                let original = Dictionary(ops.map { ($0.invokePosition, $0) }, uniquingKeysWith: { a, _ in a })
                return Violation(key: key, window: candidate.map { original[$0.invokePosition]! }, minimised: true)
            }
            step = step == 0 ? 1 : step * 2
        }
        let failing = ops.first { $0.completePosition == blocking }
        let around = ops.filter { op in
            op.invokePosition < blocking && op.completePosition > (failing?.invokePosition ?? blocking)
        }
        return Violation(key: key, window: around, minimised: false)
    }

    /// True when no initial value (the empty register or any value read in
    /// `ops`) lets the operations be linearized, within a small budget.
    static func unorderable(_ ops: [RegisterOperation]) -> Bool {
        var values = ValueTable()
        let search = ops.map { values.searchOperation($0) }
        var initials: Set<Int32> = [0]
        for (op, s) in zip(ops, search) where op.function == .read { initials.insert(s.value) }
        for initial in initials.sorted() {
            switch RegisterSearch.run(search, initial: initial, budget: 50_000) {
            case .notLinearizable: continue
            case .linearizable, .unknown: return false
            }
        }
        return true
    }
}

/// Interns register values as small integers: 0 is the empty register.
struct ValueTable {
    var ids: [Int64: Int32] = [:]

    mutating func id(_ value: Int64?) -> Int32 {
        guard let value else { return 0 }
        if let id = ids[value] { return id }
        let id = Int32(ids.count + 1)
        ids[value] = id
        return id
    }

    mutating func searchOperation(_ op: RegisterOperation) -> RegisterSearch.Operation {
        RegisterSearch.Operation(call: op.invokePosition, ret: op.completePosition, isWrite: op.function == .write, value: id(op.value))
    }
}

/// The Wing & Gong / Lowe search for one register.
enum RegisterSearch {
    struct Operation {
        let call: Int
        /// `Int.max` for an operation that may take effect at any later time.
        let ret: Int
        let isWrite: Bool
        let value: Int32
    }

    enum Outcome {
        case linearizable(steps: Int)
        /// `blocking`: the latest history position of a return the search could not get past.
        case notLinearizable(steps: Int, blocking: Int)
        case unknown(steps: Int)
    }

    struct Configuration: Hashable {
        let linearized: [UInt64]
        let state: Int32
    }

    static func run(_ ops: [Operation], initial: Int32, budget: Int) -> Outcome {
        let n = ops.count
        if n == 0 { return .linearizable(steps: 0) }
        // Entries 0..<2n in history order; entry 2n is the list head.
        var order: [(position: Int, op: Int32, isCall: Bool)] = []
        order.reserveCapacity(2 * n)
        for (i, op) in ops.enumerated() {
            order.append((op.call, Int32(i), true))
            order.append((op.ret, Int32(i), false))
        }
        // Returns at Int.max keep operation order; a call sorts before a return at the same position.
        order.sort { a, b in
            if a.position != b.position { return a.position < b.position }
            if a.isCall != b.isCall { return a.isCall }
            return a.op < b.op
        }
        let head = Int32(2 * n)
        var next = [Int32](repeating: -1, count: 2 * n + 1)
        var prev = [Int32](repeating: -1, count: 2 * n + 1)
        var match = [Int32](repeating: -1, count: 2 * n)
        var callEntry = [Int32](repeating: -1, count: n)
        for (e, entry) in order.enumerated() {
            if entry.isCall { callEntry[Int(entry.op)] = Int32(e) } else { match[Int(callEntry[Int(entry.op)])] = Int32(e) }
            next[e] = e + 1 < 2 * n ? Int32(e + 1) : -1
            prev[e] = e == 0 ? head : Int32(e - 1)
        }
        next[Int(head)] = 0

        // Two prunings (both keep the search exact):
        // - a read of the current value that can be linearized now may go first: moving it to the
        //   front of any valid completion keeps it valid (it changes nothing, and every pending
        //   operation returns after its call), so backtracking never tries an alternative to it;
        // - with every write's value distinct (as when values are request ids), a value once
        //   overwritten never returns, so no write may go while a read of the current value waits.
        var uniqueWrites = true
        var written = Set<Int32>()
        var valueCount = 1
        for op in ops {
            valueCount = max(valueCount, Int(op.value) + 1)
            if op.isWrite && (op.value == initial || !written.insert(op.value).inserted) { uniqueWrites = false }
        }
        var readsRemaining = [Int32](repeating: 0, count: max(valueCount, Int(initial) + 1))
        for op in ops where !op.isWrite { readsRemaining[Int(op.value)] += 1 }

        var linearized = [UInt64](repeating: 0, count: (n + 63) / 64)
        var cache = Set<Configuration>()
        // `forced`: a read of the current value taken eagerly; backtracking never tries an alternative to it.
        var stack: [(entry: Int32, state: Int32, forced: Bool)] = []
        var state = initial
        var entry = next[Int(head)]
        var steps = 0
        var blocking = -1

        while next[Int(head)] != -1 {
            steps &+= 1
            if steps > budget { return .unknown(steps: steps) }
            let e = Int(entry)
            let opIndex = Int(order[e].op)
            if order[e].isCall {
                let op = ops[opIndex]
                let allowed = op.isWrite ? !(uniqueWrites && readsRemaining[Int(state)] > 0) : op.value == state
                if allowed {
                    let newState = op.isWrite ? op.value : state
                    linearized[opIndex >> 6] |= 1 << UInt64(opIndex & 63)
                    if cache.insert(Configuration(linearized: linearized, state: newState)).inserted {
                        stack.append((entry, state, !op.isWrite))
                        if !op.isWrite { readsRemaining[Int(op.value)] -= 1 }
                        state = newState
                        // Lift the call and its return out of the list.
                        let m = Int(match[e])
                        next[Int(prev[e])] = next[e]
                        if next[e] != -1 { prev[Int(next[e])] = prev[e] }
                        next[Int(prev[m])] = next[m]
                        if next[m] != -1 { prev[Int(next[m])] = prev[m] }
                        entry = next[Int(head)]
                        continue
                    }
                    linearized[opIndex >> 6] &= ~(1 << UInt64(opIndex & 63))
                }
                entry = next[e]
            } else {
                blocking = max(blocking, order[e].position)
                var forced = true
                while forced {
                    guard let top = stack.popLast() else { return .notLinearizable(steps: steps, blocking: blocking) }
                    forced = top.forced
                    let t = Int(top.entry)
                    state = top.state
                    let undone = Int(order[t].op)
                    if !ops[undone].isWrite { readsRemaining[Int(ops[undone].value)] += 1 }
                    linearized[undone >> 6] &= ~(1 << UInt64(undone & 63))
                    // Put the call and its return back, in the reverse order of the lift.
                    let m = Int(match[t])
                    next[Int(prev[m])] = Int32(m)
                    if next[m] != -1 { prev[Int(next[m])] = Int32(m) }
                    next[Int(prev[t])] = top.entry
                    if next[t] != -1 { prev[Int(next[t])] = top.entry }
                    entry = next[t]
                }
            }
        }
        return .linearizable(steps: steps)
    }
}
