/// A Lamport clock: one counter per process, advanced on every event and
/// raised past every received timestamp (Lamport, "Time, Clocks, and the
/// Ordering of Events in a Distributed System", CACM 1978).
///
/// It orders events consistently with causality (a → b implies
/// L(a) < L(b)) but cannot detect concurrency: the scalar baseline the
/// vector clocks are compared with. Ties are broken by node id.
///
/// - Complexity: O(1) per operation, 8 bytes of state, no allocation.
public struct LamportClock: Sendable, Equatable {
    /// The last timestamp issued or received.
    public var time: UInt64 { current }

    @usableFromInline var current: UInt64

    public init(time: UInt64 = 0) { current = time }

    /// A local event or a send: the timestamp it carries.
    @inlinable
    public mutating func tick() -> UInt64 {
        current &+= 1
        return current
    }

    /// Receipt of a message stamped `remote`: the receive event's timestamp.
    @inlinable
    public mutating func receive(_ remote: UInt64) -> UInt64 {
        current = Swift.max(current, remote) &+ 1
        return current
    }

    /// Encoded bytes of a timestamp (a varint).
    public static func encodedSize(_ timestamp: UInt64) -> Int { VarInt.size(timestamp) }
}
