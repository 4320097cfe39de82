import Quorum

/// One change of what a replica holds for a key, as the simulator saw it
/// after a step of that replica (or its crash): the ground truth of which
/// writes each replica applied, and in what order, that a client history
/// cannot show. Recorded only when asked
/// (`QuorumSimulation.Setup.recordsApplies`), for tests that cross-check
/// the linearizability checker against it.
///
/// A state is observed after a whole step, so a step that applies two
/// writes of one key (a Raft leader committing a batch) shows only the
/// second; `state` is nil when the replica lost the key (a Raft node's
/// state machine is volatile and is rebuilt from its log after a restart).
public struct ReplicaApply: Sendable, Equatable {
    /// Virtual nanoseconds since the run began.
    public let time: Int64
    public let node: NodeID
    public let key: UInt64
    public let state: Versioned?

    public init(time: Int64, node: NodeID, key: UInt64, state: Versioned?) {
        self.time = time
        self.node = node
        self.key = key
        self.state = state
    }
}
