import CClockMax
import Clocks
import Lab
import Stats

/// `clock-merge`: ns per merge into an existing clock, per representation,
/// against clock size and the share of entries that differ, with the C
/// element-wise-max loop over the same dense arrays as the limit.
///
/// One sample merges the same source clock into a pool of targets that all
/// start as copies of `a` and already have room for the union (the steady
/// state of a replica that merges often), then — untimed — resets them with
/// `assign`, which reuses their storage. So the timed loop is the merge
/// alone, with no allocation for the array-backed variants.
enum ClockMerge {
    static let name = "clock-merge"

    static let experiment = ClockRows.experiment(
        name: name, operation: "merge",
        summary: "ns per clock merge (element-wise max into an existing clock) per representation against entries; C loop as the limit",
        what: "merge of b into a copy of a (into existing storage)",
        variants: variants)

    static func variants(_ pair: ClockPair, operations: Int) -> [ClockVariant] {
        [
            variant(DenseClock.self, pair, operations),
            variant(SparseClock.self, pair, operations),
            variant(DictionaryClock.self, pair, operations),
            cLoop(pair, operations),
        ]
    }

    final class Pool<C: CausalClock> {
        var targets: [C]
        let base: C
        let source: C

        init(base: C, source: C, count: Int) {
            self.base = base
            self.source = source
            // Grow each target to the union once, then reset: later merges fit in place.
            var scratch = C()
            scratch.assign(base.merged(source))
            targets = (0..<count).map { _ in
                var target = C()
                target.assign(base.merged(source))
                target.assign(base)
                return target
            }
            blackHole(scratch)
        }
    }

    /// A variant whose merge loop is specialised for `C`.
    static func variant<C: CausalClock>(_: C.Type, _ pair: ClockPair, _ operations: Int) -> ClockVariant {
        let pool = Pool(base: C(entries: pair.a), source: C(entries: pair.b), count: operations)
        return ClockVariant(representation: C.representation) {
            let ns = Timing.nanosecondsPerOperation(operations: operations) { mergeAll(&pool.targets, pool.source) }
            resetAll(&pool.targets, pool.base)
            return ns
        }
    }

    @inline(never)
    static func mergeAll<C: CausalClock>(_ targets: inout [C], _ source: C) -> Int {
        for i in targets.indices { targets[i].merge(source) }
        return Int(truncatingIfNeeded: targets[0].counter(for: 0))
    }

    @inline(never)
    static func resetAll<C: CausalClock>(_ targets: inout [C], _ base: C) {
        for i in targets.indices { targets[i].assign(base) }
    }

    final class CPool {
        var targets: [ContiguousArray<UInt64>]
        let base: ContiguousArray<UInt64>
        let source: ContiguousArray<UInt64>

        init(_ pair: ClockPair, count: Int) {
            base = pair.denseCounters(pair.a)
            source = pair.denseCounters(pair.b)
            targets = Array(repeating: base, count: count).map { ContiguousArray($0) }
        }
    }

    /// The limit: `caplab_clock_max_u64` over the dense layout of the same pair.
    static func cLoop(_ pair: ClockPair, _ operations: Int) -> ClockVariant {
        let pool = CPool(pair, count: operations)
        return ClockVariant(representation: ClockRows.cLoop) {
            let ns = Timing.nanosecondsPerOperation(operations: operations) { cMergeAll(&pool.targets, pool.source) }
            for i in pool.targets.indices {
                pool.targets[i].withUnsafeMutableBufferPointer { target in
                    pool.base.withUnsafeBufferPointer { target.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
                }
            }
            return ns
        }
    }

    @inline(never)
    static func cMergeAll(_ targets: inout [ContiguousArray<UInt64>], _ source: ContiguousArray<UInt64>) -> Int {
        source.withUnsafeBufferPointer { source in
            for i in targets.indices {
                targets[i].withUnsafeMutableBufferPointer { target in
                    caplab_clock_max_u64(target.baseAddress, source.baseAddress, source.count)
                }
            }
        }
        return Int(truncatingIfNeeded: targets[0][0])
    }
}
