/// The Raft log (Ongaro & Ousterhout 2014, §5.3, §7): a sequence of entries
/// numbered from 1, a commit index, and a compacted prefix summarised by
/// the index and term of its last entry (the snapshot).
///
/// Invariants every variant keeps: indexes are contiguous from
/// `snapshotIndex + 1` to `lastIndex`; terms never decrease along the log;
/// `snapshotIndex <= commitIndex <= lastIndex`; committed entries are never
/// truncated. The follower-side consistency check, `appendEntries`, is
/// written once on top of these primitives (`RaftLogStorage+AppendEntries.swift`).
public protocol RaftLogStorage {
    /// Index of the last compacted entry; 0 when nothing was compacted.
    var snapshotIndex: UInt64 { get }
    /// Term of the entry at `snapshotIndex`; 0 when nothing was compacted.
    var snapshotTerm: UInt64 { get }
    /// Index of the last entry, or `snapshotIndex` when no entry follows it.
    var lastIndex: UInt64 { get }
    var commitIndex: UInt64 { get }

    /// The term of the entry at `index`: `snapshotTerm` at `snapshotIndex`
    /// (0 at index 0), nil when the index is compacted or beyond `lastIndex`.
    func term(at index: UInt64) -> UInt64?

    /// Entries with indexes in `from..<to`.
    func entries(from: UInt64, to: UInt64) throws -> [LogEntry]

    /// Appends the batch at `lastIndex + 1, …`; returns the new `lastIndex`.
    /// Throws when a term is lower than the term before it.
    @discardableResult
    mutating func append(_ batch: EntryBatch) throws -> UInt64

    /// Drops every entry after `index` (conflict truncation, §5.3).
    /// Throws when `index < commitIndex` or `index < snapshotIndex`.
    mutating func truncate(after index: UInt64) throws

    /// Raises the commit index to `index`; lower values are ignored.
    /// Throws when `index > lastIndex`.
    mutating func commit(to index: UInt64) throws

    /// Drops the entries up to `index`, which becomes the snapshot index
    /// (§7). Throws when `index > commitIndex`; lower than `snapshotIndex` is a no-op.
    mutating func compact(upTo index: UInt64) throws
}

extension RaftLogStorage {
    /// The term of the last entry (or of the snapshot when the log is empty).
    public var lastTerm: UInt64 { term(at: lastIndex) ?? snapshotTerm }

    /// The leader-side append: entries whose indexes must continue the log.
    @discardableResult
    public mutating func append(_ entries: [LogEntry]) throws -> UInt64 {
        var batch = EntryBatch(reservingEntries: entries.count, bytes: entries.reduce(0) { $0 + $1.payload.count })
        var expected = lastIndex &+ 1
        for entry in entries {
            guard entry.index == expected else { throw RaftLogError.indexGap(expected: expected, got: entry.index) }
            batch.append(term: entry.term, payload: entry.payload)
            expected &+= 1
        }
        return try append(batch)
    }
}
