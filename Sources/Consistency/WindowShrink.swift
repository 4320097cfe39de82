/// The two generic halves of a violation window's search, shared by the
/// register's explanation (``WindowFinder``) and the models'
/// (``ModelWindowFinder``): where to look for a window (``widen(invokes:completes:blocking:attempt:)``)
/// and how to make one small (``shrink(_:candidate:isViolation:)``). What
/// makes a set of operations a violation on its own is the caller's.
enum WindowShrink {
    /// What one candidate window from ``widen(invokes:completes:blocking:attempt:)`` gave.
    enum Attempt<Window> {
        /// A violation: stop.
        case found(Window)
        /// Not one: reach back over twice as many operations.
        case widen
        /// Not one even from the first operation: try the next cut.
        case nextCut
        /// The budget ran out.
        case outOfBudget
    }

    /// Tries windows ending at cuts at or after `blocking` (completion
    /// positions at distances 0, 1, 2, 4, … in the sorted cuts, and always
    /// the end of the history, `Int.max`), each reaching back over 4, 8,
    /// 16, … operations: `attempt(lo, invoked, cut)` gets the operations
    /// `lo..<invoked` (by invocation), those invoked before `cut`.
    /// - Parameters:
    ///   - invokes: the key's invocation positions, sorted.
    ///   - completes: the completion positions (`Int.max` for none), any order.
    /// - Complexity: O(log n) cuts times O(log n) widths, each one `attempt`.
    static func widen<Window>(invokes: [Int], completes: [Int], blocking: Int,
                              attempt: (_ lo: Int, _ invoked: Int, _ cut: Int) -> Attempt<Window>) -> Window? {
        var cuts = completes.filter { $0 >= blocking && $0 != Int.max }.sorted()
        cuts.append(Int.max)
        var step = 0
        while step < cuts.count {
            let cut = cuts[step]
            // Operations invoked before the cut.
            var invoked = 0, hi = invokes.count
            while invoked < hi {
                let mid = (invoked + hi) / 2
                if invokes[mid] < cut { invoked = mid + 1 } else { hi = mid }
            }
            var width = 4
            widening: while true {
                switch attempt(max(0, invoked - width), invoked, cut) {
                case .found(let window): return window
                case .outOfBudget: return nil
                case .nextCut: break widening
                case .widen: width *= 2
                }
            }
            // Distances 0, 1, 2, 4, … and always the last cut (the whole history).
            step = step == cuts.count - 1 ? cuts.count : min(step == 0 ? 1 : step * 2, cuts.count - 1)
        }
        return nil
    }

    /// Removes members while the window stays a violation: chunks of
    /// halving size, then one at a time until none can go (the complement
    /// half of Zeller & Hildebrandt's ddmin, "Simplifying and isolating
    /// failure-inducing input", IEEE TSE 2002). `candidate(kept, removed)`
    /// is the window tried after taking `removed` out (a caller may put some
    /// back); `isViolation` answers nil once the budget has run out.
    /// Returns false when the budget ran out (the window is still a violation).
    /// - Complexity: O(m log m) calls of `isViolation` for a window of m members.
    static func shrink(_ members: inout [Int], candidate: (_ kept: [Int], _ removed: ArraySlice<Int>) -> [Int],
                       isViolation: ([Int]) -> Bool?) -> Bool {
        var chunk = max(1, members.count / 2)
        while true {
            var changed = false
            var i = 0
            while i < members.count {
                let end = min(i + chunk, members.count)
                let tried = candidate(Array(members[..<i]) + members[end...], members[i..<end]).sorted()
                guard tried.count < members.count else {
                    i += chunk
                    continue
                }
                guard let violation = isViolation(tried) else { return false }
                if violation {
                    members = tried
                    changed = true
                } else {
                    i += chunk
                }
            }
            if chunk == 1 && !changed { return true }
            chunk = max(1, chunk / 2)
        }
    }
}
