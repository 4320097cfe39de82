@testable import RaftLog

/// The simplest possible Raft log, to check the real variants against: an
/// array of every entry ever kept, and the Figure 2 receiver rules written
/// out naively (Ongaro & Ousterhout 2014).
struct ReferenceLog: Equatable {
    var entries: [LogEntry] = []          // entries[i].index == snapshotIndex + i + 1
    var snapshotIndex: UInt64 = 0
    var snapshotTerm: UInt64 = 0
    var commitIndex: UInt64 = 0

    var lastIndex: UInt64 { snapshotIndex + UInt64(entries.count) }

    func term(at index: UInt64) -> UInt64? {
        if index == snapshotIndex { return snapshotTerm }
        if index < snapshotIndex || index > lastIndex { return nil }
        return entries[Int(index - snapshotIndex - 1)].term
    }

    mutating func append(_ new: [LogEntry]) throws {
        var previous = term(at: lastIndex) ?? 0
        for e in new {
            if e.term < previous { throw RaftLogError.termRegression(index: e.index, term: e.term, previousTerm: previous) }
            previous = e.term
        }
        entries += new
    }

    mutating func truncate(after index: UInt64) throws {
        if index < commitIndex { throw RaftLogError.truncatingCommitted(after: index, commitIndex: commitIndex) }
        if index < snapshotIndex { throw RaftLogError.compacted(index: index, snapshotIndex: snapshotIndex) }
        while lastIndex > index { entries.removeLast() }
    }

    mutating func commit(to index: UInt64) throws {
        if index > lastIndex { throw RaftLogError.beyondLastIndex(index: index, lastIndex: lastIndex) }
        commitIndex = max(commitIndex, index)
    }

    mutating func compact(upTo index: UInt64) throws {
        if index <= snapshotIndex { return }
        if index > commitIndex { throw RaftLogError.compactingUncommitted(index: index, commitIndex: commitIndex) }
        snapshotTerm = term(at: index)!
        entries.removeFirst(Int(index - snapshotIndex))
        snapshotIndex = index
    }

    mutating func appendEntries(prevLogIndex: UInt64, prevLogTerm: UInt64, entries new: [LogEntry]) throws -> AppendEntriesResult {
        if prevLogIndex > lastIndex { return .rejected(lastIndex: lastIndex) }
        if prevLogIndex >= snapshotIndex, term(at: prevLogIndex) != prevLogTerm { return .rejected(lastIndex: lastIndex) }
        for e in new where e.index > snapshotIndex {
            if let existing = term(at: e.index) {
                if existing == e.term { continue }
                try truncate(after: e.index - 1)
            }
            try append([e])
        }
        return .accepted(matchIndex: prevLogIndex + UInt64(new.count))
    }
}

/// Reads every observable part of a log variant, for comparison with the reference.
func observe<L: RaftLogStorage>(_ log: L) throws -> ReferenceLog {
    ReferenceLog(
        entries: try log.entries(from: log.snapshotIndex + 1, to: log.lastIndex + 1),
        snapshotIndex: log.snapshotIndex, snapshotTerm: log.snapshotTerm, commitIndex: log.commitIndex)
}
