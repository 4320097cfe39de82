import Testing
@testable import Clocks

@Suite struct ClockPruningTests {
    static let policy = PruningPolicy(smallEntries: 2, bigEntries: 3, young: 10, old: 1_000)

    static func prune<C: CausalClock>(_ clock: C, now: UInt64, times: [NodeID: UInt64]) -> C {
        policy.prune(clock, now: now, lastUpdated: { times[$0] ?? 0 })
    }

    @Test func prunesTheOldestBeyondTheBigLimitButNeverYoungEntries() {
        let clock = SparseClock(entries: entries([(1, 4), (2, 1), (3, 7), (4, 2), (5, 9)]))
        let times: [NodeID: UInt64] = [1: 500, 2: 100, 3: 900, 4: 300, 5: 995]
        // Five entries, big limit 3: the two oldest (nodes 2 and 4) go.
        #expect(Self.prune(clock, now: 1_000, times: times).entries.map { $0.node } == [1, 3, 5])
        // Everything young: nothing goes, however many entries.
        #expect(Self.prune(clock, now: 995, times: times.mapValues { _ in 990 }) == clock)
        // Old entries go down to the small limit even below the big limit.
        let four = SparseClock(entries: entries([(1, 4), (2, 1), (3, 7), (4, 2)]))
        #expect(Self.prune(four, now: 5_000, times: [1: 100, 2: 200, 3: 4_995, 4: 4_996]).entries.map { $0.node } == [3, 4])
        // Dense clocks prune the same way.
        #expect(Self.prune(DenseClock(entries: clock.entries), now: 1_000, times: times).entries.map { $0.node } == [1, 3, 5])
    }

    /// The false concurrency pruning causes: `b` descends from `a` (it saw
    /// `a` and wrote once more at node 2). Pruned, `b` forgets node 1's old
    /// entry, and `a`, which still has it, now looks concurrent with `b`, so
    /// a store would keep `a`'s value as a needless sibling.
    @Test func pruningADescendantMakesItLookConcurrentWithItsAncestor() {
        let policy = PruningPolicy(smallEntries: 1, bigEntries: 1, young: 10, old: 1_000)
        let a = SparseClock(entries: entries([(1, 1), (2, 5)]))
        var b = a
        b.increment(2)
        #expect(a.compare(b) == .before)
        let pruned = policy.prune(b, now: 2_000, lastUpdated: { $0 == 1 ? 0 : 1_995 })
        #expect(pruned.entries.map { $0.node } == [2])
        #expect(a.compare(pruned) == .concurrent, "false concurrency: a really happened before b")
        // Without pruning the order is right; and pruning the ancestor instead is harmless.
        let prunedAncestor = policy.prune(a, now: 2_000, lastUpdated: { $0 == 1 ? 0 : 1_995 })
        #expect(prunedAncestor.compare(b) == .before)
        // The same with dense clocks.
        let denseB = DenseClock(entries: b.entries)
        let densePruned = policy.prune(denseB, now: 2_000, lastUpdated: { $0 == 1 ? 0 : 1_995 })
        #expect(DenseClock(entries: a.entries).compare(densePruned) == .concurrent)
    }
}
