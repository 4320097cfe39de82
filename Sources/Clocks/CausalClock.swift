/// Causal clocks: version vectors that say whether one replica's state
/// happened before another's, after it, is equal to it, or is concurrent
/// with it (Fidge 1988; Mattern, "Virtual Time and Global States of
/// Distributed Systems", 1989).
///
/// Every vector variant in the lab conforms to ``CausalClock`` so the same
/// property tests and experiments run against each: ``DenseClock``
/// (contiguous counters by node ordinal), ``SparseClock`` (sorted
/// node/counter pairs) and ``DictionaryClock`` (the `[NodeID: UInt64]`
/// baseline). A clock is a pure value: it never reads time or draws randomness.

/// A replica's identity inside a clock: a small ordinal (0, 1, 2, …) that the
/// deployment assigns to each node that may write.
public typealias NodeID = UInt32

/// How two causal histories relate.
public enum CausalOrder: String, Sendable, Equatable, CaseIterable {
    /// Every event of the left clock is in the right one, and the right has more.
    case before
    /// The right clock's history is a strict subset of the left's.
    case after
    /// The same history.
    case equal
    /// Each side has events the other has not seen.
    case concurrent

    /// The relation seen from the other side (`before` ↔ `after`).
    @inlinable
    public var reversed: CausalOrder {
        switch self {
        case .before: return .after
        case .after: return .before
        case .equal, .concurrent: return self
        }
    }

    /// The order from the two flags a scan over both clocks collects:
    /// "the left is smaller somewhere" and "the left is larger somewhere".
    @inlinable
    public init(leftSmaller: Bool, leftLarger: Bool) {
        switch (leftSmaller, leftLarger) {
        case (false, false): self = .equal
        case (true, false): self = .before
        case (false, true): self = .after
        case (true, true): self = .concurrent
        }
    }
}

/// A version vector: one counter per node, merged by element-wise maximum.
///
/// Counters that are zero are absent: every representation treats a node it
/// has no entry for as counter 0, so clocks built by the same history are
/// equal (`==`) whatever storage they grew. Conformers make ``merge(_:)`` and
/// ``compare(_:)`` `@inlinable` so generic measuring code is specialised.
public protocol CausalClock: Equatable, Sendable {
    /// A short, stable name for the representation as it appears in CSV (`dense`, `sparse`, …).
    static var representation: String { get }

    /// The empty clock: every counter 0.
    init()

    /// The clock with these counters (zero counters are dropped; a node may appear once).
    init(entries: some Sequence<(node: NodeID, counter: UInt64)>)

    /// The counter of `node` (0 when the clock has no entry for it).
    func counter(for node: NodeID) -> UInt64

    /// Records one new event at `node`.
    mutating func increment(_ node: NodeID)

    /// Element-wise maximum: afterwards this clock has seen every event either had seen.
    mutating func merge(_ other: Self)

    /// How this clock's history relates to `other`'s.
    func compare(_ other: Self) -> CausalOrder

    /// Replaces this clock's contents with `other`'s, reusing this clock's
    /// storage (no allocation when it has room): resetting a scratch clock.
    mutating func assign(_ other: Self)

    /// The non-zero entries, ordered by node.
    var entries: [(node: NodeID, counter: UInt64)] { get }

    /// Bytes of ``encode(into:)``'s output.
    var encodedSize: Int { get }

    /// Appends the clock's stable binary encoding (the same bytes on every
    /// machine and in every process) to `buffer`.
    func encode(into buffer: inout [UInt8])

    /// Decodes what ``encode(into:)`` wrote; throws ``ClockDecodingError`` on malformed input.
    init(decoding bytes: [UInt8]) throws
}

extension CausalClock {
    /// True when this clock has seen every event `other` has (after or equal).
    @inlinable
    public func dominates(_ other: Self) -> Bool {
        let order = compare(other)
        return order == .after || order == .equal
    }

    /// A new clock: the element-wise maximum of both.
    @inlinable
    public func merged(_ other: Self) -> Self {
        var copy = self
        copy.merge(other)
        return copy
    }

    /// The stable binary encoding as a new array.
    public func encoded() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(encodedSize)
        encode(into: &buffer)
        return buffer
    }
}
