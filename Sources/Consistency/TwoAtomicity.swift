/// Whether one register's history is 2-atomic (Aiyer, Alvisi & Bazzi,
/// "On the availability of non-strict quorum systems", DISC 2005, define
/// k-atomicity; Golab, Hurwitz & Li, "On the k-atomicity-verification
/// problem", ICDCS 2013, study deciding it): some total order of the
/// operations that respects real time (an operation that completed before
/// another was invoked comes first) in which every read returns the value of
/// one of the 2 latest writes before it. 1-atomic is linearizable.
///
/// Decided by ``TwoAtomicOrder`` (an own backward construction over the
/// writes, designed because Golab et al.'s LBT/FZF text was unavailable;
/// see there for the reduction, the argument and the cost). Every answer is
/// certified: "2-atomic" by a total order that
/// ``TwoAtomicWitness/isValid(_:order:)`` checks before it is reported; "not
/// 2-atomic" by a read of a value no write wrote, a read two or more versions
/// behind, or — as the construction's completeness is tested but not
/// proven — the exhaustive ``search(_:stepBudget:)``. A linearizable key
/// (zones) is 2-atomic without either.
///
/// ``search(_:stepBudget:)`` is the former exact decision, kept as the
/// tests' oracle and to confirm a refusal no certificate covers: a
/// depth-first search over real-time-respecting orders in the style of
/// Wing & Gong (JPDC 1993) with Lowe's just-in-time rule, state (operations
/// placed, the two latest writes) memoised by 128-bit Zobrist fingerprints;
/// exponential in the worst case, bounded by a step budget, then `unknown`.
///
/// Indeterminate writes (never completed) may take effect at any time after
/// their invocation, or never; `fail` operations and `info` reads are
/// dropped before this runs (``LinearizabilityChecker/searchable(_:)``).
///
/// - Complexity: O(n log n) for the zones; then ``TwoAtomicOrder``'s cost
///   (at most `stepBudget` placements) plus O(n log n) for the witness and
///   O(n) to validate it; a refusal without a versions-behind certificate
///   adds the search (at most `stepBudget` operations scanned).
public enum TwoAtomicity {
    public enum Verdict: String, Sendable, Equatable {
        case twoAtomic = "2-atomic"
        case notTwoAtomic = "not 2-atomic"
        /// The step budget ran out before either answer was certified.
        case unknown
        /// Two writes write the same value: not decided.
        case notApplicable = "not applicable"
    }

    /// The verdict for one key's searchable operations. Both answers are
    /// certified: "2-atomic" by a witness ``TwoAtomicOrder`` builds
    /// (polynomial in practice) and ``TwoAtomicWitness/isValid(_:order:)``
    /// checks; "not 2-atomic" by a read two or more versions behind
    /// (``VersionsBehind``: two writes certainly between its write and it),
    /// or else by the exhaustive ``search(_:stepBudget:)`` — the backward
    /// construction's completeness is tested, not proven, so its refusal
    /// alone is never reported. `stepBudget` bounds both the construction's
    /// placements and the search's scanned operations; past it the key is
    /// `unknown`.
    static func check(_ ops: [RegisterOperation], stepBudget: Int = 50_000_000) -> Verdict {
        guard let zones = RegisterZones.check(ops) else { return .notApplicable }
        if zones == .linearizable { return .twoAtomic }
        guard let (items, write, s0) = TwoAtomicWitness.items(ops) else {
            // A read of a value no write wrote has no place in any order; repeated values are not decided.
            let written = ops.filter { $0.function == .write }.map(\.value)
            return Set(written).count == written.count && !written.contains(nil) ? .notTwoAtomic : .notApplicable
        }
        let (writeOrder, _) = TwoAtomicOrder.orderAndCost(items: items, initialReadMaxInvoke: s0, placementBudget: stepBudget)
        if let writeOrder,
           TwoAtomicWitness.isValid(ops, order: TwoAtomicWitness.totalOrder(ops, items: items, write: write, s0: s0, writeOrder: writeOrder)) {
            return .twoAtomic
        }
        if let behind = VersionsBehind.histogram(ops), behind.count > 2 { return .notTwoAtomic }
        return search(ops, stepBudget: stepBudget)
    }

    /// The polynomial decision alone: nil when values repeat (not
    /// applicable); .some(nil) when not 2-atomic; otherwise the witness, a
    /// total order of `ops` (indices) — not yet validated.
    static func decide(_ ops: [RegisterOperation]) -> [Int]?? {
        guard let (items, write, s0) = TwoAtomicWitness.items(ops) else {
            // A read of a value no write wrote has no place in any order; repeated values are not decided.
            let written = ops.filter { $0.function == .write }.map(\.value)
            return Set(written).count == written.count && !written.contains(nil) ? .some(nil) : nil
        }
        guard let writeOrder = TwoAtomicOrder.order(items: items, initialReadMaxInvoke: s0) else {
            return .some(nil)
        }
        return .some(TwoAtomicWitness.totalOrder(ops, items: items, write: write, s0: s0, writeOrder: writeOrder))
    }

    struct Configuration: Hashable {
        let low: UInt64
        let high: UInt64
        let latest: Int32
        let previous: Int32
    }

    /// The search alone (the tests compare it with the definition).
    static func search(_ ops: [RegisterOperation], stepBudget: Int) -> Verdict {
        // Values interned: 0 is the empty register, -1 "no write yet".
        var values = ValueTable()
        let n = ops.count
        let isWrite = ops.map { $0.function == .write }
        let value = ops.map { values.id($0.value) }
        var readsLeft = [Int](repeating: 0, count: values.ids.count + 1)
        for i in 0..<n where !isWrite[i] { readsLeft[Int(value[i])] += 1 }
        let required = ops.filter { $0.completePosition != Int.max }.count
        var placed = [Bool](repeating: false, count: n)
        var placedRequired = 0
        var fingerprint = Fingerprint()
        var latest: Int32 = 0, previous: Int32 = -1
        var seen = Set<Configuration>()
        // Each frame: the operation placed, the window it replaced, whether it was forced, the next candidate to try after it.
        var stack: [(op: Int, latest: Int32, previous: Int32, forced: Bool)] = []
        var steps = 0
        var resume = 0 // first candidate index to try at the current frame

        func candidates() -> (Int, Int) { // ops with invoke < earliest pending completion: index range [0, end)
            var earliest = Int.max
            for i in 0..<n where !placed[i] { earliest = min(earliest, ops[i].completePosition) }
            var end = 0
            while end < n && ops[end].invokePosition < earliest { end += 1 }
            return (earliest, end)
        }

        while placedRequired < required {
            // A step scans the operations (O(n)); the budget counts operations scanned, so a long key
            // costs at most `stepBudget` units of work whatever its length.
            steps += 1 + n
            if steps > stepBudget { return .unknown }
            let (_, end) = candidates()
            // A read allowed now goes first, without alternatives.
            if let r = (0..<end).first(where: { !placed[$0] && !isWrite[$0] && (value[$0] == latest || value[$0] == previous) }) {
                placed[r] = true; placedRequired += 1; readsLeft[Int(value[r])] -= 1
                fingerprint = fingerprint.toggling(r)
                stack.append((r, latest, previous, true))
                resume = 0
                continue
            }
            var moved = false
            var i = resume
            while i < end {
                if !placed[i] && isWrite[i] && (previous < 0 || readsLeft[Int(previous)] == 0) {
                    let lifted = fingerprint.toggling(i)
                    let next = Configuration(low: lifted.low, high: lifted.high, latest: value[i], previous: latest)
                    if seen.insert(next).inserted {
                        placed[i] = true
                        if ops[i].completePosition != Int.max { placedRequired += 1 }
                        fingerprint = lifted
                        stack.append((i, latest, previous, false))
                        (latest, previous) = (value[i], latest)
                        resume = 0
                        moved = true
                        break
                    }
                }
                i += 1
            }
            if moved { continue }
            // Dead end: undo to the last write with an untried alternative.
            while true {
                guard let top = stack.popLast() else { return .notTwoAtomic }
                placed[top.op] = false
                if ops[top.op].completePosition != Int.max { placedRequired -= 1 }
                if !isWrite[top.op] { readsLeft[Int(value[top.op])] += 1 }
                fingerprint = fingerprint.toggling(top.op)
                (latest, previous) = (top.latest, top.previous)
                if !top.forced { resume = top.op + 1; break }
            }
        }
        return .twoAtomic
    }
}
