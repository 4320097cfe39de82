/// A hybrid logical clock (Kulkarni, Demirbas, Madappa, Avva & Leone,
/// "Logical Physical Clocks", OPODIS 2014, Figure 5): a timestamp
/// (`wall`, `logical`) whose `wall` part tracks the largest physical time
/// the node has heard of and whose `logical` part orders events within one
/// `wall` value.
///
/// Like a Lamport clock it satisfies e → f ⇒ hlc(e) < hlc(f); unlike one it
/// stays close to physical time: if every node's physical clock is within ε
/// of every other's, `wall − pt ≤ ε` at every node at all times (the
/// paper's bounded-drift theorem), and `logical` resets to 0 whenever
/// physical time moves past `wall`. The physical time is an input (the core
/// reads no clock); ``receive(_:physicalTime:maxOffset:)`` can refuse a
/// message whose time is implausibly far ahead, as CockroachDB does.
///
/// - Complexity: O(1) per operation, 16 bytes of state, no allocation.
public struct HybridLogicalClock: Sendable, Equatable {
    public struct Timestamp: Sendable, Hashable, Comparable {
        /// The largest physical time (e.g. ns) the issuing node had heard of.
        public var wall: UInt64
        /// Events since `wall` last changed.
        public var logical: UInt64

        public init(wall: UInt64, logical: UInt64) {
            self.wall = wall
            self.logical = logical
        }

        public static func < (l: Timestamp, r: Timestamp) -> Bool {
            (l.wall, l.logical) < (r.wall, r.logical)
        }
    }

    /// A remote timestamp more than `maxOffset` ahead of local physical time.
    public struct ClockOffsetError: Error, Equatable, CustomStringConvertible {
        public let remoteWall: UInt64
        public let physicalTime: UInt64
        public let maxOffset: UInt64

        public init(remoteWall: UInt64, physicalTime: UInt64, maxOffset: UInt64) {
            self.remoteWall = remoteWall
            self.physicalTime = physicalTime
            self.maxOffset = maxOffset
        }

        public var description: String {
            "remote wall time \(remoteWall) is \(remoteWall - physicalTime) ahead of local physical time \(physicalTime); the allowed offset is \(maxOffset)"
        }
    }

    /// The last timestamp issued or received.
    public var last: Timestamp { latest }

    @usableFromInline var latest: Timestamp

    public init() { latest = Timestamp(wall: 0, logical: 0) }

    /// A local event or a send at physical time `pt` (Figure 5, "send or local event").
    @inlinable
    public mutating func now(physicalTime pt: UInt64) -> Timestamp {
        if pt > latest.wall {
            latest = Timestamp(wall: pt, logical: 0)
        } else {
            latest.logical &+= 1
        }
        return latest
    }

    /// Receipt of a message stamped `remote` at physical time `pt`
    /// (Figure 5, "receive event of message m"). With `maxOffset`, a
    /// message whose wall time is more than that ahead of `pt` is refused
    /// and the clock is unchanged.
    @inlinable
    public mutating func receive(_ remote: Timestamp, physicalTime pt: UInt64, maxOffset: UInt64? = nil) throws(ClockOffsetError) -> Timestamp {
        if let maxOffset, remote.wall > pt, remote.wall - pt > maxOffset {
            throw ClockOffsetError(remoteWall: remote.wall, physicalTime: pt, maxOffset: maxOffset)
        }
        let wall = Swift.max(latest.wall, remote.wall, pt)
        let logical: UInt64
        if wall == latest.wall && wall == remote.wall {
            logical = Swift.max(latest.logical, remote.logical) &+ 1
        } else if wall == latest.wall {
            logical = latest.logical &+ 1
        } else if wall == remote.wall {
            logical = remote.logical &+ 1
        } else {
            logical = 0
        }
        latest = Timestamp(wall: wall, logical: logical)
        return latest
    }

    /// Encoded bytes of a timestamp: two varints.
    public static func encodedSize(_ timestamp: Timestamp) -> Int {
        VarInt.size(timestamp.wall) + VarInt.size(timestamp.logical)
    }
}
