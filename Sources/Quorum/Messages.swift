/// A node's identity: its ordinal on the ring.
public typealias NodeID = Int

/// A last-writer-wins version: the coordinator's clock reading when it took
/// the write (its own skewed clock), ties broken by the coordinator's id.
/// `sequence` identifies the write itself (for staleness accounting).
public struct Version: Sendable, Hashable, Comparable {
    public let timestamp: Int64
    public let coordinator: NodeID
    public let sequence: UInt64

    public init(timestamp: Int64, coordinator: NodeID, sequence: UInt64) {
        self.timestamp = timestamp
        self.coordinator = coordinator
        self.sequence = sequence
    }

    public static func < (a: Version, b: Version) -> Bool {
        (a.timestamp, a.coordinator, a.sequence) < (b.timestamp, b.coordinator, b.sequence)
    }
}

/// What a client asks a coordinator.
public struct ClientRequest: Sendable, Equatable {
    public enum Operation: Sendable, Equatable {
        case read(key: UInt64)
        /// `sequence` names the write; the simulator makes it unique.
        case write(key: UInt64, sequence: UInt64)
    }

    public let id: UInt64
    public let operation: Operation
    /// Randomness the runtime supplies for choosing replicas when the
    /// configuration contacts only a quorum (``QuorumConfiguration/contactOnlyQuorum``).
    public let replicaChoice: UInt64
    /// With ``Versioning/vectorClocks``: what the client has seen of the key
    /// (Dynamo's `put(key, context, object)`); its write overwrites exactly
    /// that. nil: a blind write, concurrent with every existing value.
    public let context: Versioned?

    public init(id: UInt64, operation: Operation, replicaChoice: UInt64 = 0, context: Versioned? = nil) {
        self.id = id
        self.operation = operation
        self.replicaChoice = replicaChoice
        self.context = context
    }
}

/// A coordinator's answer.
public struct ClientReply: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// A write reached W acks; it carries the state it created (its version, or its sibling set).
        case written(Versioned)
        /// A read reached R responses: their merge; nil when no replica had the key.
        case read(Versioned?)
        /// The quorum was not reached before the timeout.
        case timedOut
    }

    public let id: UInt64
    public let outcome: Outcome

    public init(id: UInt64, outcome: Outcome) {
        self.id = id
        self.outcome = outcome
    }
}

/// Messages between nodes.
public enum Message: Sendable, Equatable {
    /// Store (merge in) this state; `hintFor` names the owner a fallback node stands in for.
    case store(request: UInt64, key: UInt64, version: Versioned, hintFor: NodeID?)
    case stored(request: UInt64)
    case fetch(request: UInt64, key: UInt64)
    case fetched(request: UInt64, version: Versioned?)
    /// Read repair; answered with `repaired` when the coordinator waits for it.
    case repair(request: UInt64, key: UInt64, version: Versioned)
    case repaired(request: UInt64)
    /// Hinted handoff: a fallback node hands a write back to its owner.
    case handoff(key: UInt64, version: Versioned)
    case handedOff(key: UInt64, version: Versioned)
}

public enum QuorumTimer: Sendable, Hashable {
    case requestTimeout(UInt64)
    case fallback(UInt64)
    case handoff
}

extension Message: CoreMessage {
    /// Stores, repairs and handoffs carry a write (W); their acks are A; a fetch is R; its answer is S.
    @inlinable
    public var leg: MessageLeg {
        switch self {
        case .store, .repair, .handoff: return .write
        case .stored, .repaired, .handedOff: return .writeAck
        case .fetch: return .read
        case .fetched: return .readResponse
        }
    }
}

/// What a Dynamo or ABD step asks its runtime to do.
public typealias Effect = CoreEffect<Message, QuorumTimer>

/// The buffer a Dynamo or ABD step writes its effects into.
public typealias Effects = EffectBuffer<Message, QuorumTimer>

/// What a runtime feeds a Dynamo or ABD node.
public typealias Input = CoreInput<Message, QuorumTimer>
