/// The window printed for a key that is not linearizable.
///
/// A window is a set of completed operations W of one key. It is a real
/// violation when W admits no order in which each operation takes effect
/// between its invocation and its completion, even letting every other
/// write of the key that overlaps W's span (first invocation to last
/// completion) take effect at any time after its invocation or not at all,
/// whatever the register held before — or, for a window anchored at the
/// start of the history, from the empty register. Why that suffices: in any
/// linearization of the whole key, the stretch from W's first to its last
/// operation holds W plus only writes whose intervals meet W's span (reads
/// change nothing), starting from some value; so if no such order exists,
/// neither does a linearization.
///
/// Windows are never cut to a size: a cut that drops an operation still in
/// flight can make a window "unorderable" only because the operation is
/// missing. Every candidate is checked against the definition above before
/// it is kept.
extension LinearizabilityChecker {
    /// A window of `ops` (the key's searchable operations, by invocation)
    /// that is a real violation; `blocking` is the latest return the search
    /// could not get past; `guess`, when given, a window to try first (the
    /// zones' clusters: indices of completed operations, by invocation).
    func explain(_ ops: [RegisterOperation], key: HistoryKey, blocking: Int, guess: [Int] = []) -> Violation {
        var finder = WindowFinder(ops: ops, budget: stepBudgetPerKey, memoBytes: memoBytesPerKey)
        var members: [Int]
        var fromStart: Bool
        var minimised = false
        // The zones' clusters alone are a violation from the empty register (the
        // characterisation holds for them on their own); from any value, often too.
        var found: (members: [Int], fromStart: Bool)?
        for fromStart in [false, true] where found == nil && finder.isViolation(guess, fromStart: fromStart) {
            found = (guess, fromStart)
        }
        if let found = found ?? finder.find(blocking: blocking) {
            (members, fromStart) = found
            // Shrink; add the writes of values read; shrink again (a read may now be redundant).
            // (A few rounds: shrinking may drop an added write again.)
            minimised = finder.shrink(&members, fromStart: &fromStart)
            for _ in 0..<3 where minimised && finder.addWritesOfReadValues(&members, fromStart: fromStart) {
                minimised = finder.shrink(&members, fromStart: &fromStart)
            }
        } else {
            // The key's whole history from the empty register: the search has just shown it.
            members = ops.indices.filter { ops[$0].completePosition != Int.max }
            fromStart = true
        }
        return Violation(key: key, window: members.map { ops[$0] },
                         overlappingWrites: finder.overlappingWrites(members, fromStart: fromStart).map { ops[$0] },
                         fromEmptyRegister: fromStart, minimised: minimised)
    }
}

/// Finds, checks and shrinks windows of one key's operations, within a step budget.
struct WindowFinder {
    /// The key's searchable operations, by invocation.
    let ops: [RegisterOperation]
    /// Steps left for every search the explanation runs.
    var budget: Int
    let memoBytes: Int
    /// Indices of completed writes (by invocation) and of writes that never completed.
    let completedWrites: [Int]
    let pendingWrites: [Int]
    /// The longest interval of a completed write, in history positions.
    let longestWrite: Int

    init(ops: [RegisterOperation], budget: Int, memoBytes: Int) {
        self.ops = ops
        self.budget = budget
        self.memoBytes = memoBytes
        let writes = ops.indices.filter { ops[$0].function == .write }
        completedWrites = writes.filter { ops[$0].completePosition != Int.max }
        pendingWrites = writes.filter { ops[$0].completePosition == Int.max }
        longestWrite = completedWrites.map { ops[$0].completePosition - ops[$0].invokePosition }.max() ?? 0
    }

    /// Writes not in `members` whose interval meets the span of `members`
    /// (from the start of the history when `fromStart`), by invocation.
    func overlappingWrites(_ members: [Int], fromStart: Bool) -> [Int] {
        guard let last = members.map({ ops[$0].completePosition }).max() else { return [] }
        let first = fromStart ? Int.min : members.map { ops[$0].invokePosition }.min()!
        let inWindow = Set(members)
        var result = pendingWrites.filter { ops[$0].invokePosition < last && !inWindow.contains($0) }
        // Completed writes that meet the span were invoked after first − longestWrite.
        let earliest = fromStart ? Int.min : first - longestWrite
        var lo = 0, hi = completedWrites.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ops[completedWrites[mid]].invokePosition < earliest { lo = mid + 1 } else { hi = mid }
        }
        for i in completedWrites[lo...] {
            let op = ops[i]
            if op.invokePosition >= last { break }
            if op.completePosition > first && !inWindow.contains(i) { result.append(i) }
        }
        return result.sorted()
    }

    /// Whether `members` (completed operations) is a real violation: see the extension's comment.
    /// False when the budget runs out.
    mutating func isViolation(_ members: [Int], fromStart: Bool) -> Bool {
        guard !members.isEmpty else { return false }
        let ops = self.ops
        var values = ValueTable()
        var search = members.map { values.searchOperation(ops[$0]) }
        // A free write of a value no window read returns can always be left
        // out of an order (no read sits between it and the next write), so the
        // search need not try it: at high concurrency there are thousands.
        let readValues = Set(members.filter { ops[$0].function == .read }.map { ops[$0].value })
        for i in overlappingWrites(members, fromStart: fromStart) where readValues.contains(ops[i].value) {
            let op = ops[i]
            search.append(.init(call: op.invokePosition, ret: Int.max, isWrite: true, value: values.id(op.value)))
        }
        // Starting from a value no read returns is like starting from any other value a read does not return.
        var initials: Set<Int32> = [0]
        if !fromStart {
            for (i, s) in zip(members, search) where ops[i].function == .read { initials.insert(s.value) }
        }
        for initial in initials.sorted() {
            guard budget > 0 else { return false }
            let outcome = RegisterSearch.run(search, initial: initial, limits: .init(steps: budget, memoBytes: memoBytes))
            budget -= outcome.cost.steps
            guard case .notLinearizable = outcome else { return false }
        }
        return true
    }

    /// The completed operations invoked in `lo..<hi` (indices) that complete by position `cut`.
    func completed(_ range: Range<Int>, by cut: Int) -> [Int] {
        range.filter { ops[$0].completePosition <= cut && ops[$0].completePosition != Int.max }
    }

    /// A violation ending at a cut at or after `blocking`, reaching back over
    /// exponentially more operations until it holds (``WindowShrink/widen(invokes:completes:blocking:attempt:)``);
    /// nil when the budget runs out first.
    mutating func find(blocking: Int) -> (members: [Int], fromStart: Bool)? {
        WindowShrink.widen(invokes: ops.map(\.invokePosition), completes: ops.map(\.completePosition), blocking: blocking) { lo, invoked, cut in
            let members = completed(lo..<invoked, by: cut)
            if isViolation(members, fromStart: false) { return .found((members, false)) }
            if lo == 0 {
                if isViolation(members, fromStart: true) { return .found((members, true)) }
                return budget > 0 ? .nextCut : .outOfBudget
            }
            return budget > 0 ? .widen : .outOfBudget
        }
    }

    /// Removes operations while the window stays a violation (``WindowShrink/shrink(_:candidate:isViolation:)``).
    /// A write stays while a read of its value does (a read of a value
    /// nobody in the window writes explains less). Returns false if the budget ran out.
    mutating func shrink(_ members: inout [Int], fromStart: inout Bool) -> Bool {
        while true {
            guard shrinkOnce(&members, fromStart: fromStart) else { return false }
            // Whatever the register held is the stronger claim; keep it when it holds, and shrink again.
            guard fromStart && isViolation(members, fromStart: false) else { return true }
            fromStart = false
        }
    }

    private mutating func shrinkOnce(_ members: inout [Int], fromStart: Bool) -> Bool {
        let ops = self.ops
        return WindowShrink.shrink(&members, candidate: { kept, removed in
            let readValues = Set(kept.filter { ops[$0].function == .read }.map { ops[$0].value })
            return kept + removed.filter { ops[$0].function == .write && readValues.contains(ops[$0].value) }
        }, isViolation: { candidate in
            guard budget > 0 else { return nil }
            let violation = isViolation(candidate, fromStart: fromStart)
            return violation || budget > 0 ? violation : nil
        })
    }

    /// Adds the write of each value a window read returns, when the window stays a violation with it:
    /// a reader then sees where the value came from.
    /// Returns whether it added any.
    mutating func addWritesOfReadValues(_ members: inout [Int], fromStart: Bool) -> Bool {
        let before = members.count
        let readValues = Set(members.filter { ops[$0].function == .read }.map { ops[$0].value })
        var explained = Set(members.filter { ops[$0].function == .write }.map { ops[$0].value })
        for i in completedWrites where readValues.contains(ops[i].value) && !explained.contains(ops[i].value) {
            let candidate = (members + [i]).sorted()
            if isViolation(candidate, fromStart: fromStart) {
                members = candidate
                explained.insert(ops[i].value)
            }
        }
        return members.count > before
    }
}
