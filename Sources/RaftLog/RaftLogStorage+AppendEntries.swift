/// The outcome of the follower-side consistency check.
public enum AppendEntriesResult: Equatable, Sendable {
    /// The log now matches the leader's up to `matchIndex`.
    case accepted(matchIndex: UInt64)
    /// The log has no entry at `prevLogIndex` with `prevLogTerm`; the leader
    /// should retry from an earlier index. `lastIndex` is a hint (the
    /// follower's last index) so it can skip back in one step.
    case rejected(lastIndex: UInt64)
}

extension RaftLogStorage {
    /// The AppendEntries receiver rules of Figure 2 (Ongaro & Ousterhout 2014):
    /// reject unless the log contains an entry at `prevLogIndex` whose term is
    /// `prevLogTerm`; then, for each new entry, if an existing entry conflicts
    /// with it (same index, different term) delete it and all that follow;
    /// append the entries not already in the log.
    ///
    /// Entries the log already holds are never truncated (a delayed, older
    /// message must not undo a newer one), and entries at or below the
    /// snapshot index are taken as matching: they are committed, and Raft's
    /// Log Matching and Leader Completeness properties make them equal to the
    /// leader's.
    ///
    /// - Complexity: O(k) term look-ups plus the append, for k entries.
    public mutating func appendEntries(prevLogIndex: UInt64, prevLogTerm: UInt64, entries: [LogEntry]) throws -> AppendEntriesResult {
        if prevLogIndex > lastIndex { return .rejected(lastIndex: lastIndex) }
        if prevLogIndex >= snapshotIndex, term(at: prevLogIndex) != prevLogTerm {
            return .rejected(lastIndex: lastIndex)
        }
        var first = 0
        // Skip entries already present (same index and term) and the compacted prefix.
        while first < entries.count {
            let entry = entries[first]
            if entry.index <= snapshotIndex { first += 1; continue }
            guard entry.index <= lastIndex, term(at: entry.index) == entry.term else { break }
            first += 1
        }
        if first < entries.count {
            let entry = entries[first]
            if entry.index <= lastIndex {
                try truncate(after: entry.index - 1)
            }
            var batch = EntryBatch()
            var expected = lastIndex &+ 1
            for e in entries[first...] {
                guard e.index == expected else { throw RaftLogError.indexGap(expected: expected, got: e.index) }
                batch.append(term: e.term, payload: e.payload)
                expected &+= 1
            }
            try append(batch)
        }
        return .accepted(matchIndex: prevLogIndex + UInt64(entries.count))
    }
}
