/// Pruning a version vector by entry count and entry age, as Riak does for
/// its vclocks (riak_kv's `vclock:prune/3` with the bucket properties
/// `small_vclock`, `big_vclock`, `young_vclock`, `old_vclock`).
///
/// A clock that many coordinators have written to keeps an entry for each
/// of them forever; pruning drops the entries updated longest ago. The
/// price: a clock that lost an entry no longer dominates an older clock
/// that still has it, so a true descendant can look concurrent with its
/// ancestor and the store keeps a sibling it did not need (a false
/// concurrency, never a lost update).
///
/// Ages are supplied by the caller (the time each node's entry was last
/// advanced), because the clock itself keeps no time.
///
/// - Complexity: O(n log n) for a clock with n entries (one sort by age).
public struct PruningPolicy: Sendable, Equatable {
    /// At or below this many entries, never prune.
    public var smallEntries: Int
    /// Above this many entries, prune the oldest until at most this many remain, unless they are young.
    public var bigEntries: Int
    /// Entries updated more recently than this (now − time < young) are never pruned.
    public var young: UInt64
    /// Entries older than this are pruned whenever the clock is above `smallEntries`.
    public var old: UInt64

    /// Riak's defaults: 50 and 50 entries, 20 s and 86 400 s (times in seconds).
    public static let riakDefaults = PruningPolicy(smallEntries: 50, bigEntries: 50, young: 20, old: 86_400)

    public init(smallEntries: Int, bigEntries: Int, young: UInt64, old: UInt64) {
        precondition(smallEntries <= bigEntries, "smallEntries must not exceed bigEntries")
        self.smallEntries = smallEntries
        self.bigEntries = bigEntries
        self.young = young
        self.old = old
    }

    /// `clock` with its oldest entries dropped while the policy asks for it:
    /// the oldest entry goes if the clock is above `smallEntries`, that entry
    /// is not young, and either the clock is above `bigEntries` or the entry is old.
    /// `lastUpdated(node)` is when that node's entry last advanced.
    public func prune<C: CausalClock>(_ clock: C, now: UInt64, lastUpdated: (NodeID) -> UInt64) -> C {
        var entries = clock.entries.map { (node: $0.node, counter: $0.counter, time: lastUpdated($0.node)) }
        // Oldest first; ties broken by node so pruning is deterministic.
        entries.sort { ($0.time, $0.node) < ($1.time, $1.node) }
        var start = 0
        while entries.count - start > smallEntries {
            let age = now >= entries[start].time ? now - entries[start].time : 0
            if age < young { break }
            if entries.count - start > bigEntries || age > old {
                start += 1
            } else {
                break
            }
        }
        return C(entries: entries[start...].map { (node: $0.node, counter: $0.counter) })
    }
}
