import Quorum

/// Judges every successful read against the writes that completed before
/// it began, and the session guarantees of its client — one definition
/// for both runtimes (the simulator and the threaded cluster), fed in
/// completion order.
///
/// A read *reflects* a write when its state includes the write's
/// (``Versioned/includes(_:)``): for LWW, it returned that version or a
/// newer one; with vector clocks, its causal context covers the write's dot
/// (it returned the write as a sibling, or a write that overwrote it knowing it).
///
/// - Stale read: it misses at least one write completed before it began;
///   k-staleness counts how many it misses.
/// - Monotonic reads: a read misses something its client's earlier read saw.
/// - Read your writes: a read misses its client's own last completed write.
///
/// - Complexity: O(log w + k) per read for w completed writes of the key,
///   k of them before the read; O(1) amortised per write.
public struct ConsistencyJudge: Sendable {
    struct Write: Sendable {
        let sequence: UInt64
        let issued: Int64
        let completed: Int64
        let version: Versioned
    }

    /// A client's view of one key.
    struct SessionKey: Hashable, Sendable {
        let session: Int
        let key: UInt64
    }

    /// Per key: completed writes in completion order.
    var writes: [UInt64: [Write]] = [:]
    /// Per client and key (one table each, so one hash lookup per read): the merge of what
    /// its reads returned, and its last completed write.
    var lastRead: [SessionKey: Versioned] = [:]
    var lastWrite: [SessionKey: (time: Int64, version: Versioned)] = [:]

    public init() {}

    /// Write `sequence` completed with `version` (calls must come in completion order).
    public mutating func wrote(key: UInt64, sequence: UInt64, session: Int, issued: Int64, completed: Int64, version: Versioned) {
        writes[key, default: []].append(Write(sequence: sequence, issued: issued, completed: completed, version: version))
        lastWrite[SessionKey(session: session, key: key)] = (completed, version)
    }

    /// A read issued at `invoked` returned `version` (nil: no replica had the key).
    public mutating func read(_ version: Versioned?, key: UInt64, session: Int, invoked: Int64, inPartition: Bool,
                              into result: inout SimulationResult) {
        let all = writes[key] ?? []
        var low = 0, high = all.count
        while low < high {
            let mid = (low + high) / 2
            if all[mid].completed <= invoked { low = mid + 1 } else { high = mid }
        }
        var behind = 0
        for w in all.prefix(low) where !Self.reflects(version, w.version) { behind += 1 }
        let stale = behind > 0
        if stale { result.staleReads += 1 }
        if inPartition {
            result.readsInPartition += 1
            if stale { result.staleReadsInPartition += 1 }
        }
        result.versionsBehindTotal += behind
        result.versionsBehindMax = max(result.versionsBehindMax, behind)
        let siblings = version?.valueCount ?? 0
        result.siblingsReturned += siblings
        result.siblingsMax = max(result.siblingsMax, siblings)
        if siblings > 0 { result.readsFound += 1 }
        if siblings > 1 { result.readsWithSiblings += 1 }
        if low > 0 {
            let ageMs = Double(invoked - all[low - 1].completed) / 1e6
            let bin = SimulationResult.ageBinsMs.firstIndex { ageMs < $0 } ?? SimulationResult.ageBinsMs.count
            result.byAge[bin].reads += 1
            if !stale { result.byAge[bin].consistent += 1 }
        }
        let client = SessionKey(session: session, key: key)
        let previous = lastRead.index(forKey: client)
        if let previous, !Self.reflects(version, lastRead.values[previous]) { result.monotonicReadViolations += 1 }
        if let own = lastWrite[client], own.time <= invoked, !Self.reflects(version, own.version) {
            result.readYourWritesViolations += 1
        }
        if let version {
            if let previous {
                lastRead.values[previous] = lastRead.values[previous].merged(with: version)
            } else {
                lastRead[client] = version
            }
        }
    }

    static func reflects(_ read: Versioned?, _ write: Versioned) -> Bool {
        read?.includes(write) ?? false
    }

    /// Completed writes that the cluster dropped without anyone having seen
    /// them: absent from `final` (the merge of every node's state for the
    /// key) and not overwritten by a write that observed them.
    ///
    /// - LWW: the write that overwrote W is the next write in version order —
    ///   a completed one, or the write holding the key at the end
    ///   (`issueTime` gives its issue time when it never completed); it
    ///   observed W if it was issued after W completed. So a concurrent write
    ///   that wins on timestamp, or a later write beaten by an earlier one
    ///   from a faster clock, drops an acknowledged write. Writes that never
    ///   completed are not known otherwise, so a W overwritten first by one of
    ///   them and later by a write issued after W completed counts as kept.
    /// - Vector clocks: W was observed if a client that had been shown W by a
    ///   read later wrote the key (`observed`: per key, the sequences shown to
    ///   writers before they wrote) — independent of the clocks, so a dot
    ///   reused or a context wider than what the client read shows up here.
    ///
    /// - Complexity: O(w log w) per key for w completed writes.
    public func lostWrites(final: (UInt64) -> Versioned?, issueTime: (UInt64) -> Int64?, observed: [UInt64: Set<UInt64>]) -> Int {
        var lost = 0
        for key in writes.keys.sorted() {
            let list = writes[key]!
            let state = final(key)
            let kept = state?.sequences ?? []  // one value with LWW, the siblings otherwise
            if case .lww = list[0].version {
                // Versions are distinct (each names its write): ascending order gives each write its successor.
                var ordered = list.sorted { $0.version.lwwVersion! < $1.version.lwwVersion! }
                if let holder = state?.lwwVersion, !list.contains(where: { $0.sequence == holder.sequence }),
                   let issued = issueTime(holder.sequence) {
                    // The final holder never completed; it is newer than every completed write.
                    ordered.append(Write(sequence: holder.sequence, issued: issued, completed: .max, version: .lww(holder)))
                }
                for (i, w) in ordered.enumerated() where w.completed != .max && !kept.contains(w.sequence) {
                    if i + 1 == ordered.count || ordered[i + 1].issued < w.completed { lost += 1 }
                }
            } else {
                let seen = observed[key] ?? []
                for w in list where !kept.contains(w.sequence) && !seen.contains(w.sequence) { lost += 1 }
            }
        }
        return lost
    }
}
