import CClockMax
import Clocks
import Lab
import Stats

/// `clock-compare`: ns per causal comparison per representation against
/// clock size, with the C compare loop over the same dense arrays as the limit.
///
/// The pair compared is `a` against `a ⊔ b` with one more event at node 0:
/// `a` is before it, which no
/// representation can decide without visiting every entry (a concurrent
/// pair may stop at the first two disagreements), so this is the cost of
/// the full scan. One sample compares the same pair `operations` times.
enum ClockCompare {
    static let name = "clock-compare"

    static let experiment = ClockRows.experiment(
        name: name, operation: "compare",
        summary: "ns per causal compare (a against a ⊔ b: a full scan) per representation against entries; C loop as the limit",
        what: "compare of a with a ⊔ b (answer: before)",
        variants: variants)

    static func variants(_ pair: ClockPair, operations: Int) -> [ClockVariant] {
        [
            variant(DenseClock.self, pair, operations),
            variant(SparseClock.self, pair, operations),
            variant(DictionaryClock.self, pair, operations),
            cLoop(pair, operations),
        ]
    }

    static func variant<C: CausalClock>(_: C.Type, _ pair: ClockPair, _ operations: Int) -> ClockVariant {
        let left = C(entries: pair.a)
        var right = left.merged(C(entries: pair.b))
        right.increment(0)  // strictly later even when b's changes were all below a's
        precondition(left.compare(right) == .before, "clock-compare: a must be before a ⊔ b")
        return ClockVariant(representation: C.representation) {
            Timing.nanosecondsPerOperation(operations: operations) { compareRepeatedly(left, right, operations) }
        }
    }

    @inline(never)
    static func compareRepeatedly<C: CausalClock>(_ left: C, _ right: C, _ times: Int) -> Int {
        var before = 0
        for _ in 0..<times where left.compare(right) == .before { before &+= 1 }
        return before
    }

    static func cLoop(_ pair: ClockPair, _ operations: Int) -> ClockVariant {
        let left = pair.denseCounters(pair.a)
        var right = pair.denseCounters(pair.b)
        for i in right.indices { right[i] = Swift.max(right[i], left[i]) }
        right[0] &+= 1
        return ClockVariant(representation: ClockRows.cLoop) { [right] in
            Timing.nanosecondsPerOperation(operations: operations) { cCompareRepeatedly(left, right, operations) }
        }
    }

    @inline(never)
    static func cCompareRepeatedly(_ left: ContiguousArray<UInt64>, _ right: ContiguousArray<UInt64>, _ times: Int) -> Int {
        left.withUnsafeBufferPointer { l in
            right.withUnsafeBufferPointer { r in
                var total = 0
                for _ in 0..<times { total &+= Int(caplab_clock_compare_u64(l.baseAddress, r.baseAddress, l.count)) }
                return total
            }
        }
    }
}
