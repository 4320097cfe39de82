/// The Wing & Gong / Lowe search of ``RegisterSearch`` for any ``DataModel``
/// (Wing & Gong, JPDC 1993; Lowe, CCPE 2017): the same entry list, just-in-time
/// linearization and memo of (linearized set, state), with the model's
/// `apply` as the step. Generic, so each model's search is specialised by the
/// compiler (no existential per step); the register keeps its own search with
/// its register-only prunings.
///
/// The memo stores the 128-bit Zobrist fingerprint of the linearized set
/// (``Fingerprint``) with the model state itself, so two configurations
/// with equal sets but different states never merge.
///
/// Budgets as the register search's (``RegisterSearch/Limits``): steps
/// every step; memory, time and interrupt every ``RegisterSearch/checkEvery``
/// steps, ending the key `unknown` with the reason and the longest
/// linearizable prefix found (indices, in linearization order).
///
/// - Complexity: exponential in the worst case (NP-complete: Gibbons &
///   Korach 1997); each step is one `apply` plus one hash of the state.
enum ModelSearch {
    struct Operation<Step> {
        let call: Int
        /// `Int.max` for an operation that may take effect at any later time.
        let ret: Int
        let step: Step
    }

    private struct Configuration<State: Hashable>: Hashable {
        let low: UInt64
        let high: UInt64
        let state: State
    }

    static func run<M: DataModel>(_ model: M.Type, _ ops: [Operation<M.Step>], limits: RegisterSearch.Limits) -> RegisterSearch.Outcome {
        typealias Cost = RegisterSearch.Cost
        if ops.isEmpty { return .linearizable(Cost()) }
        var list = RegisterSearch.EntryList(ops.map { RegisterSearch.Operation(call: $0.call, ret: $0.ret, isWrite: false, value: 0) })
        let head = Int(list.head)
        // Bytes per memo entry: the two words, the state, and the set's own overhead (about a slot's worth).
        let entryBytes = 2 * (16 + MemoryLayout<M.State>.stride)
        // The memo never outgrows the memory budget; when that is what stops it, the key is unknown.
        let memoryLimited = limits.memoryBytes <= limits.memoBytes
        let memoCap = min(limits.memoBytes, limits.memoryBytes)
        let maxEntries = max(1 << 10, memoCap / entryBytes)
        // What the memo's states hold outside their inline size (kv strings, sets).
        var memoHeapBytes = 0
        let listBytes = list.order.count * 16 + list.next.count * 12 + ops.count * (24 + MemoryLayout<M.Step>.stride)
        var memo = Set<Configuration<M.State>>()
        var memoFull = false
        var fingerprint = Fingerprint()
        // `forced`: a read-only step taken eagerly; backtracking never tries an alternative to it
        // (moving it to the front of any valid completion keeps that completion valid).
        var stack: [(entry: Int32, state: M.State, forced: Bool)] = []
        var state = M.initial
        var entry = list.next[head]
        var cost = Cost()
        var blocking = -1
        // The longest prefix so far, kept as the register search keeps it: by copying only
        // the stack entries changed since it was last taken (O(1) amortized per step).
        var longest: [Int32] = []
        var lowestPopped = 0
        func spent(_ reason: RegisterSearch.StopReason? = nil) -> Cost {
            var c = cost
            c.memoEntries = memo.count
            c.memoFull = memoFull
            c.stopReason = reason
            c.longestPrefix = longest
            return c
        }

        while list.next[head] != -1 {
            cost.steps &+= 1
            if cost.steps > limits.steps { return .unknown(spent(.steps)) }
            if cost.steps % RegisterSearch.checkEvery == 0 {
                if memoryLimited && memoFull { return .unknown(spent(.memory)) }
                // The memo's states with their heap storage; the stack's states at their inline size.
                if memo.count * entryBytes + memoHeapBytes + stack.capacity * (8 + MemoryLayout<M.State>.stride) + listBytes > limits.memoryBytes {
                    return .unknown(spent(.memory))
                }
                if let reason = limits.shouldStop?() { return .unknown(spent(reason)) }
            }
            if cost.steps & 0xF_FFFF == 0, let onSteps = limits.onSteps { onSteps(cost.steps) }
            let e = Int(entry)
            let opIndex = Int(list.order[e].op)
            if list.order[e].isCall {
                if let newState = M.apply(ops[opIndex].step, to: state) {
                    let lifted = fingerprint.toggling(opIndex)
                    let configuration = Configuration(low: lifted.low, high: lifted.high, state: newState)
                    let isNew: Bool
                    if memo.count < maxEntries && memo.count * entryBytes + memoHeapBytes < memoCap {
                        isNew = memo.insert(configuration).inserted
                        if isNew { memoHeapBytes += M.heapBytes(newState) }
                    } else {
                        // Full: stop storing, stay exact (a configuration may be explored again).
                        memoFull = true
                        isNew = !memo.contains(configuration)
                    }
                    if isNew {
                        stack.append((entry, state, M.isReadOnly(ops[opIndex].step)))
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
                    fingerprint = fingerprint.toggling(Int(list.order[t].op))
                    list.unlift(t)
                    entry = list.next[t]
                }
            }
        }
        return .linearizable(spent())
    }
}
