import Foundation
import HashRing
import Quorum
// Re-exported: the network model, judge and results are part of this runtime's API.
@_exported import RuntimeSupport
import Stats
import Workload

/// A deterministic discrete-event run of a replicated store in virtual
/// time: ``ReplicationCore``s (any registered ``ReplicationProtocol``)
/// driven by an ``EventQueue``, a ``NetworkModel`` and one seeded
/// generator — the FoundationDB / TigerBeetle style of simulation testing.
/// The same setup and seed give the same result, bit for bit, on any machine.
///
/// ``run(_:seed:)`` looks the core up in the registry and runs
/// ``run(_:_:seed:)``, the runtime specialised for that core: its nodes sit
/// in an array of the concrete core type and write their effects into one
/// reused buffer, so a message costs no existential, closure call or allocation.
///
/// - Complexity: O(E log E) for E events; about 2N + 2 events per operation
///   plus retries, repairs and handoffs.
public struct QuorumSimulation {
    public struct Setup: Sendable {
        public var nodeCount: Int
        public var virtualNodes: Int
        public var quorum: QuorumConfiguration
        public var network: NetworkModel
        /// Each node's clock is off by a uniform draw in ±`maxClockSkewMs`.
        public var maxClockSkewMs: Double
        /// Each node's clock runs at a rate off real time drawn uniformly in ±`maxClockDrift`
        /// (0.01: ±1 %); only cores that measure durations (Raft leases) feel it.
        public var maxClockDrift: Double = 0
        /// Fixed drift rates instead, node i taking `clockDrifts[i % count]` (a run that shows one fast or slow clock).
        public var clockDrifts: [Double]? = nil
        /// The protocol core every node runs.
        public var replication: ReplicationProtocol
        /// Every workload write is a get-then-put (Dynamo's update pattern): the client
        /// reads the key, then writes with what the read returned as its context. The
        /// read counts as a read; the write's latency runs from its own start.
        public var readBeforeWrite = false
        /// Record every operation in ``SimulationResult/records`` (for the linearizability checker).
        public var recordsHistory = false
        /// Record every change of a replica's state for a written key in
        /// ``SimulationResult/applies`` (the ground truth the checker's tests
        /// compare with). Costs O(written keys) per step when on, so it is for
        /// short test runs on a few keys; off, one untaken branch per step.
        public var recordsApplies = false

        public init(nodeCount: Int, virtualNodes: Int = 16, quorum: QuorumConfiguration, network: NetworkModel, maxClockSkewMs: Double = 0,
                    replication: ReplicationProtocol = .dynamo) {
            self.nodeCount = nodeCount
            self.virtualNodes = virtualNodes
            self.quorum = quorum
            self.network = network
            self.maxClockSkewMs = maxClockSkewMs
            self.replication = replication
        }
    }

    /// What drives the cluster.
    public enum Driver: Sendable {
        /// `operations` operations from an open-loop stream; coordinators chosen uniformly.
        case workload(OperationStream, operations: Int)
        /// PBS's experiment: `pairs` times, a write to a fresh key from a
        /// coordinator outside its preference list, then one read from another
        /// such coordinator `readDelayNanoseconds` after the write commits.
        case writeThenRead(pairs: Int, readDelayNanoseconds: Int64, spacingNanoseconds: Int64)
        /// Closed loop: `clients` clients, each issuing its next operation
        /// `thinkNanoseconds` after the previous one completes (keys and the
        /// read/write mix from the stream; its arrival times are ignored),
        /// `operations` in all. Latency is measured from the issue time.
        case closedLoop(OperationStream, clients: Int, thinkNanoseconds: Int64, operations: Int)
    }

    enum Event<Message: Sendable, Timer: Sendable>: Sendable {
        case arrival
        case issue(client: Int)
        case scriptedWrite(pair: Int)
        case client(node: NodeID, request: ClientRequest)
        case deliver(to: NodeID, from: NodeID, Message)
        case timer(node: NodeID, Timer, epoch: Int)
        case crash(NodeID)
        case recover(NodeID)
    }

    struct Outstanding {
        let arrival: Int64
        let isWrite: Bool
        let key: UInt64
        let client: Int
        let pair: Int?
        /// Read before write: this read is followed by the client's write, or this write followed its read.
        var thenWrite = false
        var followsRead = false
        /// The node coordinating it once the client reached a live one, and when: a crash of
        /// that node loses the request, and the client times out on it.
        var coordinator: NodeID? = nil
        var invoked: Int64 = 0
    }

    public let setup: Setup
    public let ring: TokenRing

    public init(_ setup: Setup) {
        self.setup = setup
        ring = TokenRing(nodes: (0..<setup.nodeCount).map { "node-\($0)" }, virtualNodes: setup.virtualNodes)
    }

    /// Runs the cluster with the core ``Setup/replication`` names.
    public func run(_ driver: Driver, seed: UInt64) -> SimulationResult {
        setup.replication.withCore(Runner(simulation: self, driver: driver, seed: seed))
    }

    /// Runs the cluster with `core` on every node (whatever ``Setup/replication`` says).
    public func run<Core: ReplicationCore>(_ core: Core.Type, _ driver: Driver, seed: UInt64) -> SimulationResult {
        var run = Run<Core>(simulation: self, rng: Xoshiro256StarStar(seed: seed))
        let start = monotonicNanoseconds()
        run.execute(driver)
        run.result.wallSeconds = Double(monotonicNanoseconds() &- start) / 1e9
        return run.result
    }

    struct Runner: CoreRunner {
        let simulation: QuorumSimulation
        let driver: Driver
        let seed: UInt64

        func run<Core: ReplicationCore>(_ core: Core.Type) -> SimulationResult {
            simulation.run(core, driver, seed: seed)
        }
    }
}
