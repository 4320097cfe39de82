import HashRing

/// A replication protocol's node as a pure state machine, the shape every
/// runtime drives (the simulator in virtual time, the threaded cluster on
/// real threads): it takes the time and one input and writes what it wants
/// done into a buffer its caller owns and reuses, the way etcd's raft hands
/// its I/O out through `Ready`. It never reads a clock, sleeps, spawns a
/// thread or draws randomness it was not given.
///
/// A core chooses its own messages and timers (a Raft core's AppendEntries
/// and election timer beside Dynamo's store/fetch and request timeout); the
/// client side is shared (``ClientRequest`` in, ``ClientReply`` out), so the
/// runtimes, the consistency judge and the history recording work for every
/// core. ``crash()`` drops what a crash loses (in-flight requests; a
/// leader's volatile state) and keeps what the core treats as durable (its
/// store, hints, or a Raft log); the runtime restarts a node with
/// ``CoreInput/start``.
///
/// Conforming: write the core here, then register it in the runtimes'
/// registry (`ReplicationProtocol` in `RuntimeSupport`).
public protocol ReplicationCore: Sendable {
    associatedtype Message: CoreMessage
    associatedtype Timer: Sendable & Hashable

    /// Builds node `setup.id` of a cluster.
    init(_ setup: NodeSetup)

    var id: NodeID { get }

    /// Handles one input at `now` (ns), appending its effects to `effects`;
    /// the caller drains them (the buffer keeps its capacity for the next step).
    /// The input is consumed, so a state it carries can be stored without a copy.
    mutating func step(now: Int64, _ input: consuming CoreInput<Message, Timer>, into effects: inout EffectBuffer<Message, Timer>)

    /// The node crashes: volatile state is lost, durable state stays.
    mutating func crash()

    /// What this node holds for `key` (nil: nothing).
    func state(of key: UInt64) -> Versioned?

    /// The nodes that replicate `key`.
    func preferenceList(for key: UInt64) -> [NodeID]

    /// True when the core honours the configuration's R, W, read repair,
    /// sloppy quorum and versioning (Dynamo); false when it fixes its own
    /// quorums (ABD's majorities, a Raft group), so a sweep runs it once per N.
    static var honoursQuorumSettings: Bool { get }
}

/// What a core needs to know about itself and its cluster.
public struct NodeSetup: Sendable {
    public let id: NodeID
    public let configuration: QuorumConfiguration
    public let ring: TokenRing
    /// This node's clock error: its clock reads `now + clockSkewNanoseconds`
    /// (plus `now · clockDriftRate` when it drifts).
    public let clockSkewNanoseconds: Int64
    /// How fast this node's clock runs off real time (0.01: 1 % fast, −0.01: 1 % slow);
    /// a core measuring durations (a Raft lease) feels it.
    public let clockDriftRate: Double
    /// The seed of the randomness the core may draw (a Raft node's election timeouts).
    public let randomSeed: UInt64

    public init(id: NodeID, configuration: QuorumConfiguration, ring: TokenRing, clockSkewNanoseconds: Int64 = 0,
                clockDriftRate: Double = 0, randomSeed: UInt64 = 0) {
        self.id = id
        self.configuration = configuration
        self.ring = ring
        self.clockSkewNanoseconds = clockSkewNanoseconds
        self.clockDriftRate = clockDriftRate
        self.randomSeed = randomSeed
    }
}

/// The leg of the WARS model a message plays (Bailis et al., PVLDB 2012):
/// a network model that draws per-leg delays asks each message for its leg.
public enum MessageLeg: Sendable {
    /// A write or its propagation (W).
    case write
    /// Its acknowledgement (A).
    case writeAck
    /// A read request (R).
    case read
    /// Its answer (S).
    case readResponse
}

/// A message a core sends to another node.
public protocol CoreMessage: Sendable {
    var leg: MessageLeg { get }
}

/// What a runtime feeds a core.
public enum CoreInput<Message: Sendable, Timer: Sendable>: Sendable {
    /// The node starts (or restarts after a crash).
    case start
    case client(ClientRequest)
    case message(from: NodeID, Message)
    case timer(Timer)
}

/// What a core's step asks its runtime to do.
public enum CoreEffect<Message: Sendable, Timer: Sendable>: Sendable {
    case send(to: NodeID, Message)
    case setTimer(afterNanoseconds: Int64, Timer)
    case reply(ClientReply)
}

extension CoreInput: Equatable where Message: Equatable, Timer: Equatable {}
extension CoreEffect: Equatable where Message: Equatable, Timer: Equatable {}

extension ReplicationCore {
    /// One step with a fresh effect list: for tests and tools, not for a runtime's inner loop.
    public mutating func step(now: Int64, _ input: CoreInput<Message, Timer>) -> [CoreEffect<Message, Timer>] {
        var effects = EffectBuffer<Message, Timer>()
        step(now: now, input, into: &effects)
        return effects.removeAll()
    }
}

extension Array where Element: ReplicationCore {
    /// The merge of every node's state for `key`: what the cluster holds of it.
    public func mergedState(of key: UInt64) -> Versioned? {
        var merged: Versioned?
        for node in self {
            guard let state = node.state(of: key) else { continue }
            merged = merged.map { $0.merged(with: state) } ?? state
        }
        return merged
    }
}
