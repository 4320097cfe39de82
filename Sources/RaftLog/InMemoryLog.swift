/// The Raft log in memory: terms, payload end offsets and payload bytes in
/// three contiguous arrays, plus an offset that maps a log index to a slot.
///
/// Compaction advances the offset (`deadSlots`) instead of moving the
/// surviving entries; the dead prefix is dropped physically only when it
/// outgrows the live part, so each entry is moved at most once on average.
///
/// - Complexity: `append` amortised O(payload bytes) with no allocation once
///   capacity is reached; `term(at:)` O(1); `truncate` O(1) amortised;
///   `compact` amortised O(1) per compacted entry; `entries(from:to:)`
///   O(entries + bytes) and allocates the result.
public struct InMemoryLog: RaftLogStorage, Sendable {
    public private(set) var snapshotIndex: UInt64 = 0
    public private(set) var snapshotTerm: UInt64 = 0
    public private(set) var commitIndex: UInt64 = 0

    @usableFromInline var terms: ContiguousArray<UInt64> = []
    /// `ends[s]`: offset one past slot s's payload in `bytes`.
    @usableFromInline var ends: ContiguousArray<Int> = []
    @usableFromInline var bytes: ContiguousArray<UInt8> = []
    /// Slots at the front that belong to compacted entries.
    @usableFromInline var deadSlots = 0

    public init() {}

    /// Starts with room for `entries` entries and `bytes` payload bytes.
    public init(reservingEntries entries: Int, bytes: Int) {
        terms.reserveCapacity(entries)
        ends.reserveCapacity(entries)
        self.bytes.reserveCapacity(bytes)
    }

    public var lastIndex: UInt64 { snapshotIndex &+ UInt64(terms.count &- deadSlots) }

    /// Entries held (not compacted).
    public var count: Int { terms.count &- deadSlots }

    /// Payload bytes held in the live entries.
    public var payloadBytes: Int { (ends.last ?? 0) &- start(of: deadSlots) }

    @inlinable
    func start(of slot: Int) -> Int { slot == 0 ? 0 : ends[slot &- 1] }

    @inlinable
    func slot(of index: UInt64) -> Int { Int(truncatingIfNeeded: index &- snapshotIndex &- 1) &+ deadSlots }

    @inlinable
    public func term(at index: UInt64) -> UInt64? {
        if index == snapshotIndex { return snapshotTerm }
        guard index > snapshotIndex, index <= lastIndex else { return nil }
        return terms[slot(of: index)]
    }

    /// The payload of the entry at `index`, without copying.
    public func withPayload<R>(at index: UInt64, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        guard index > snapshotIndex else { throw RaftLogError.compacted(index: index, snapshotIndex: snapshotIndex) }
        guard index <= lastIndex else { throw RaftLogError.beyondLastIndex(index: index, lastIndex: lastIndex) }
        let s = slot(of: index)
        let range = start(of: s)..<ends[s]
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    public func entries(from: UInt64, to: UInt64) throws -> [LogEntry] {
        guard from < to else { return [] }
        guard from > snapshotIndex else { throw RaftLogError.compacted(index: from, snapshotIndex: snapshotIndex) }
        guard to - 1 <= lastIndex else { throw RaftLogError.beyondLastIndex(index: to - 1, lastIndex: lastIndex) }
        var out: [LogEntry] = []
        out.reserveCapacity(Int(to - from))
        for index in from..<to {
            let s = slot(of: index)
            out.append(LogEntry(term: terms[s], index: index, payload: Array(bytes[start(of: s)..<ends[s]])))
        }
        return out
    }

    @inlinable
    @discardableResult
    public mutating func append(_ batch: EntryBatch) throws -> UInt64 {
        var previous = lastTerm
        for (i, term) in batch.terms.enumerated() {
            guard term >= previous else {
                throw RaftLogError.termRegression(index: lastIndex &+ UInt64(i) &+ 1, term: term, previousTerm: previous)
            }
            previous = term
        }
        let base = bytes.count
        terms.append(contentsOf: batch.terms)
        for end in batch.ends { ends.append(base &+ end) }
        bytes.append(contentsOf: batch.bytes)
        return lastIndex
    }

    /// Appends one entry from raw bytes: the allocation-free leader path.
    @inlinable
    @discardableResult
    public mutating func append(term: UInt64, payload: UnsafeRawBufferPointer) throws -> UInt64 {
        let previous = lastTerm
        guard term >= previous else {
            throw RaftLogError.termRegression(index: lastIndex &+ 1, term: term, previousTerm: previous)
        }
        terms.append(term)
        bytes.append(contentsOf: payload)
        ends.append(bytes.count)
        return lastIndex
    }

    public mutating func truncate(after index: UInt64) throws {
        guard index >= commitIndex else { throw RaftLogError.truncatingCommitted(after: index, commitIndex: commitIndex) }
        guard index >= snapshotIndex else { throw RaftLogError.compacted(index: index, snapshotIndex: snapshotIndex) }
        guard index < lastIndex else { return }
        let keep = slot(of: index) &+ 1
        terms.removeLast(terms.count &- keep)
        ends.removeLast(ends.count &- keep)
        bytes.removeLast(bytes.count &- start(of: keep))
    }

    public mutating func commit(to index: UInt64) throws {
        guard index <= lastIndex else { throw RaftLogError.beyondLastIndex(index: index, lastIndex: lastIndex) }
        if index > commitIndex { commitIndex = index }
    }

    public mutating func compact(upTo index: UInt64) throws {
        guard index > snapshotIndex else { return }
        guard index <= commitIndex else { throw RaftLogError.compactingUncommitted(index: index, commitIndex: commitIndex) }
        let newTerm = terms[slot(of: index)]
        deadSlots = slot(of: index) &+ 1
        snapshotIndex = index
        snapshotTerm = newTerm
        if deadSlots > 64, deadSlots >= terms.count &- deadSlots { dropDeadPrefix() }
    }

    /// Moves the live entries to the front: O(live entries + bytes), done
    /// only when the dead prefix is at least as large as the live part.
    mutating func dropDeadPrefix() {
        let deadBytes = start(of: deadSlots)
        terms.removeFirst(deadSlots)
        ends.removeFirst(deadSlots)
        for i in ends.indices { ends[i] &-= deadBytes }
        bytes.removeFirst(deadBytes)
        deadSlots = 0
    }

    /// Replaces the whole log by a snapshot ending at `index` with `term`
    /// (Raft's InstallSnapshot, §7); also used by WAL replay.
    public mutating func restore(snapshotIndex index: UInt64, snapshotTerm term: UInt64) {
        terms.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        deadSlots = 0
        snapshotIndex = index
        snapshotTerm = term
        commitIndex = index
    }
}
