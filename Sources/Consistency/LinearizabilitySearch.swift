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
///
/// The linearized set is never copied or rehashed: its 128-bit Zobrist
/// fingerprint (Zobrist 1970: the XOR of a random word per member) is
/// updated in O(1) when an operation is lifted or put back, and the memo
/// stores that fingerprint with the register value (``ConfigurationMemo``).
enum RegisterSearch {
    struct Operation {
        let call: Int
        /// `Int.max` for an operation that may take effect at any later time.
        let ret: Int
        let isWrite: Bool
        let value: Int32
    }

    /// What a search may spend: entries visited, bytes of memo, and the
    /// budgets checked inside the loop every ``checkEvery`` steps (so a key
    /// ends within 4096 steps of its deadline, memory bound or interrupt).
    struct Limits {
        var steps: Int
        var memoBytes: Int
        /// Called about every 2^20 steps with the steps so far (progress on a terminal).
        var onSteps: ((Int) -> Void)?
        /// Bytes the search may hold (memo, stack, entry list); past it the key is `unknown` (reason memory).
        /// The memo never grows past it.
        var memoryBytes: Int = .max
        /// Asked every ``checkEvery`` steps: a reason to stop now (time, interrupt), or nil.
        var shouldStop: (() -> StopReason?)?

        init(steps: Int, memoBytes: Int = 1 << 30, onSteps: ((Int) -> Void)? = nil,
             memoryBytes: Int = .max, shouldStop: (() -> StopReason?)? = nil) {
            self.steps = steps
            self.memoBytes = memoBytes
            self.onSteps = onSteps
            self.memoryBytes = memoryBytes
            self.shouldStop = shouldStop
        }
    }

    /// How often (in steps) the in-loop budgets are checked.
    static let checkEvery = 4096

    /// Why a search stopped without a verdict.
    enum StopReason: String, Sendable {
        case steps, time, memory
        /// SIGINT (Ctrl-C).
        case interrupted
    }

    /// What a search spent.
    struct Cost {
        var steps = 0
        /// Configurations stored in the memo.
        var memoEntries = 0
        /// True when the memo reached its byte bound and stopped storing
        /// (the search stays exact; it may visit a configuration again).
        var memoFull = false
        /// Why the search stopped without a verdict (nil when it reached one).
        var stopReason: StopReason?
        /// The longest sequence of operations (indices, in linearization
        /// order) the search linearized: a prefix of a possible linearization
        /// that it could not extend further before it stopped or failed.
        var longestPrefix: [Int32] = []
    }

    enum Outcome {
        case linearizable(Cost)
        /// `blocking`: the latest history position of a return the search could not get past.
        case notLinearizable(Cost, blocking: Int)
        case unknown(Cost)

        var cost: Cost {
            switch self {
            case .linearizable(let c), .notLinearizable(let c, _), .unknown(let c): return c
            }
        }
    }

    /// The doubly linked list of call and return entries in history order.
    struct EntryList {
        /// Entries 0..<2n in history order.
        var order: [(position: Int, op: Int32, isCall: Bool)] = []
        var next: [Int32]
        var prev: [Int32]
        /// For a call entry, its return entry.
        var match: [Int32]
        /// Entry 2n.
        let head: Int32

        init(_ ops: [Operation]) {
            let n = ops.count
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
            head = Int32(2 * n)
            next = [Int32](repeating: -1, count: 2 * n + 1)
            prev = [Int32](repeating: -1, count: 2 * n + 1)
            match = [Int32](repeating: -1, count: 2 * n)
            var callEntry = [Int32](repeating: -1, count: n)
            for (e, entry) in order.enumerated() {
                if entry.isCall { callEntry[Int(entry.op)] = Int32(e) } else { match[Int(callEntry[Int(entry.op)])] = Int32(e) }
                next[e] = e + 1 < 2 * n ? Int32(e + 1) : -1
                prev[e] = e == 0 ? head : Int32(e - 1)
            }
            next[Int(head)] = 0
        }

        /// Takes call entry `e` and its return out of the list.
        @inline(__always) mutating func lift(_ e: Int) {
            let m = Int(match[e])
            next[Int(prev[e])] = next[e]
            if next[e] != -1 { prev[Int(next[e])] = prev[e] }
            next[Int(prev[m])] = next[m]
            if next[m] != -1 { prev[Int(next[m])] = prev[m] }
        }

        /// Puts call entry `e` and its return back, in the reverse order of ``lift(_:)``.
        @inline(__always) mutating func unlift(_ e: Int) {
            let m = Int(match[e])
            next[Int(prev[m])] = Int32(m)
            if next[m] != -1 { prev[Int(next[m])] = Int32(m) }
            next[Int(prev[e])] = Int32(e)
            if next[e] != -1 { prev[Int(next[e])] = Int32(e) }
        }
    }

    static func run(_ ops: [Operation], initial: Int32, budget: Int) -> Outcome {
        run(ops, initial: initial, limits: Limits(steps: budget))
    }

    static func run(_ ops: [Operation], initial: Int32, limits: Limits) -> Outcome {
        if ops.isEmpty { return .linearizable(Cost()) }
        var list = EntryList(ops)
        let head = Int(list.head)

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

        // The memo never outgrows the memory budget; when that is what stops it, the key is unknown.
        let memoryLimited = limits.memoryBytes <= limits.memoBytes
        var memo = ConfigurationMemo(maxBytes: min(limits.memoBytes, limits.memoryBytes))
        let listBytes = list.order.count * 16 + list.next.count * 12 + ops.count * 24
        var fingerprint = Fingerprint()
        // `forced`: a read of the current value taken eagerly; backtracking never tries an alternative to it.
        var stack: [(entry: Int32, state: Int32, forced: Bool)] = []
        var state = initial
        var entry = list.next[head]
        var cost = Cost()
        var blocking = -1
        // The longest prefix so far, kept by copying only what changed since it was
        // last taken (stack entries from `lowestPopped` on): O(1) amortized per step.
        var longest: [Int32] = []
        var lowestPopped = 0
        func spent(_ reason: StopReason? = nil) -> Cost {
            var c = cost
            c.memoEntries = memo.count
            c.memoFull = memo.isFull
            c.stopReason = reason
            c.longestPrefix = longest
            return c
        }

        while list.next[head] != -1 {
            cost.steps &+= 1
            if cost.steps > limits.steps { return .unknown(spent(.steps)) }
            if cost.steps % checkEvery == 0 {
                if memoryLimited && memo.isFull { return .unknown(spent(.memory)) }
                if memo.bytes + stack.capacity * 12 + listBytes > limits.memoryBytes { return .unknown(spent(.memory)) }
                if let reason = limits.shouldStop?() { return .unknown(spent(reason)) }
            }
            if cost.steps & 0xF_FFFF == 0, let onSteps = limits.onSteps { onSteps(cost.steps) }
            let e = Int(entry)
            let opIndex = Int(list.order[e].op)
            if list.order[e].isCall {
                let op = ops[opIndex]
                let allowed = op.isWrite ? !(uniqueWrites && readsRemaining[Int(state)] > 0) : op.value == state
                if allowed {
                    let newState = op.isWrite ? op.value : state
                    let lifted = fingerprint.toggling(opIndex)
                    if memo.insert(lifted.with(state: newState)) {
                        stack.append((entry, state, !op.isWrite))
                        if !op.isWrite { readsRemaining[Int(op.value)] -= 1 }
                        state = newState
                        fingerprint = lifted
                        list.lift(e)
                        entry = list.next[head]
                        if stack.count > longest.count {
                            let from = min(lowestPopped, longest.count)
                            longest.removeSubrange(from...)
                            for frame in stack[from...] { longest.append(list.order[Int(frame.entry)].op) }
                            lowestPopped = stack.count
                        }
                        continue
                    }
                }
                entry = list.next[e]
            } else {
                blocking = max(blocking, list.order[e].position)
                var forced = true
                while forced {
                    guard let top = stack.popLast() else { return .notLinearizable(spent(), blocking: blocking) }
                    lowestPopped = min(lowestPopped, stack.count)
                    forced = top.forced
                    let t = Int(top.entry)
                    state = top.state
                    let undone = Int(list.order[t].op)
                    if !ops[undone].isWrite { readsRemaining[Int(ops[undone].value)] += 1 }
                    fingerprint = fingerprint.toggling(undone)
                    list.unlift(t)
                    entry = list.next[t]
                }
            }
        }
        return .linearizable(spent())
    }
}
