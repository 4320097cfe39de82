/// One Raft log entry: the leader's term when it was created, its position
/// in the log, and the client command it carries (Ongaro & Ousterhout 2014,
/// "In Search of an Understandable Consensus Algorithm", §5.3).
public struct LogEntry: Equatable, Hashable, Sendable {
    public var term: UInt64
    public var index: UInt64
    public var payload: [UInt8]

    public init(term: UInt64, index: UInt64, payload: [UInt8]) {
        self.term = term
        self.index = index
        self.payload = payload
    }
}

/// A run of entries to append, stored contiguously: terms, payload end
/// offsets and payload bytes in three flat arrays, so building and appending
/// a batch allocates nothing once its capacity is reached. Indexes are not
/// stored: the log assigns `lastIndex + 1, …` when the batch is appended.
///
/// - Complexity: `append` is amortised O(payload bytes).
public struct EntryBatch: Sendable {
    public private(set) var terms: ContiguousArray<UInt64> = []
    /// `ends[i]` is the offset one past entry i's last payload byte in `bytes`.
    public private(set) var ends: ContiguousArray<Int> = []
    public private(set) var bytes: ContiguousArray<UInt8> = []

    public init() {}

    public init(reservingEntries entries: Int, bytes: Int) {
        terms.reserveCapacity(entries)
        ends.reserveCapacity(entries)
        self.bytes.reserveCapacity(bytes)
    }

    public var count: Int { terms.count }
    public var isEmpty: Bool { terms.isEmpty }

    @inlinable
    public func payloadRange(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i &- 1])..<ends[i] }

    public mutating func append(term: UInt64, payload: UnsafeRawBufferPointer) {
        terms.append(term)
        bytes.append(contentsOf: payload)
        ends.append(bytes.count)
    }

    public mutating func append<C: Collection<UInt8>>(term: UInt64, payload: C) {
        terms.append(term)
        bytes.append(contentsOf: payload)
        ends.append(bytes.count)
    }

    /// Empties the batch, keeping its capacity for the next one.
    public mutating func removeAll() {
        terms.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
    }
}
