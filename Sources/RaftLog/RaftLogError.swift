/// Why a log operation was refused. Every case names the indexes involved.
public enum RaftLogError: Error, Equatable, CustomStringConvertible {
    /// `append(_: [LogEntry])` was given an entry whose index is not the next one.
    case indexGap(expected: UInt64, got: UInt64)
    /// An entry's term is lower than the entry before it (terms never decrease along a log).
    case termRegression(index: UInt64, term: UInt64, previousTerm: UInt64)
    /// Truncating at or below the commit index would lose a committed entry.
    case truncatingCommitted(after: UInt64, commitIndex: UInt64)
    /// The index lies in the compacted prefix.
    case compacted(index: UInt64, snapshotIndex: UInt64)
    /// The index lies beyond the last entry.
    case beyondLastIndex(index: UInt64, lastIndex: UInt64)
    /// Compaction may only drop committed entries.
    case compactingUncommitted(index: UInt64, commitIndex: UInt64)
    /// A single entry does not fit into one WAL segment.
    case entryTooLarge(bytes: Int, segmentBytes: Int)
    /// A system call on a WAL file failed.
    case io(operation: String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case let .indexGap(expected, got): return "entry index \(got) does not follow the log: expected \(expected)"
        case let .termRegression(index, term, previous): return "entry \(index) has term \(term), lower than the previous entry's term \(previous)"
        case let .truncatingCommitted(after, commit): return "cannot truncate after index \(after): entries up to the commit index \(commit) are committed"
        case let .compacted(index, snapshot): return "index \(index) is compacted (snapshot index \(snapshot))"
        case let .beyondLastIndex(index, last): return "index \(index) is beyond the last index \(last)"
        case let .compactingUncommitted(index, commit): return "cannot compact up to \(index): only entries up to the commit index \(commit) may be compacted"
        case let .entryTooLarge(bytes, segment): return "an entry of \(bytes) bytes does not fit in a WAL segment of \(segment) bytes"
        case let .io(operation, path, errno): return "\(operation) failed on \(path): errno \(errno)"
        }
    }
}
