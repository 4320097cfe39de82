import Foundation
import HashRing
import Quorum
import RuntimeSupport
import Stats
import Workload

/// The replication cores of the simulator, driven by real threads and the
/// real clock:
///
/// - **replica threads** (``ReplicaThread``) own the nodes (node i on
///   thread i mod T) and step them as inputs arrive in their ``Inbox``;
/// - a **delivery thread** (``DeliveryThread``) keeps every message and
///   protocol timer in a heap by due time and hands each to its node's
///   thread when due;
/// - **client threads** (``ClientThread``) issue an open-loop workload:
///   operation i goes to client thread i mod C and is sent at its intended
///   (Poisson) start; latency is measured from that intended start, not
///   from when the thread got round to sending it (coordinated-omission
///   correction, as wrk2 does: Tene, "How NOT to Measure Latency", 2015).
///
/// Each client thread records into its own ``LatencyHistogram`` and into a
/// history buffer preallocated with one ``OperationRecord`` per operation;
/// both are merged after the threads join. Message delays come from the
/// same ``NetworkModel`` the simulator draws from (each replica thread has
/// its own seeded generator), so the runs are comparable; only the schedule
/// is real. Crashes are not modelled here.
///
/// ``run(_:operations:seed:)`` looks the core up in the registry
/// (``ReplicationProtocol``) and runs ``run(_:_:operations:seed:)``, whose
/// threads are specialised for that core.
public struct ThreadedCluster: Sendable {
    public struct Setup: Sendable {
        public var nodeCount: Int
        public var virtualNodes: Int
        public var quorum: QuorumConfiguration
        public var network: NetworkModel
        public var replication: ReplicationProtocol
        public var replicaThreads: Int
        public var clientThreads: Int
        /// How long before a deadline a waiting thread stops sleeping and starts yielding.
        public var spinNanoseconds: Int64

        public init(nodeCount: Int, virtualNodes: Int = 16, quorum: QuorumConfiguration, network: NetworkModel,
                    replication: ReplicationProtocol = .dynamo, replicaThreads: Int = 2, clientThreads: Int = 2,
                    spinNanoseconds: Int64 = 50_000) {
            precondition(replicaThreads >= 1 && clientThreads >= 1, "at least one replica and one client thread")
            self.nodeCount = nodeCount
            self.virtualNodes = virtualNodes
            self.quorum = quorum
            self.network = network
            self.replication = replication
            self.replicaThreads = replicaThreads
            self.clientThreads = clientThreads
            self.spinNanoseconds = spinNanoseconds
        }
    }

    public let setup: Setup
    public let ring: TokenRing
    /// The workload starts this long after the clock, so every thread is up before the first intended start.
    public static let leadNanoseconds: Int64 = 2_000_000

    public init(_ setup: Setup) {
        precondition(setup.quorum.versioning == .lww, "the threaded runtime runs LWW: vector clocks need client contexts, which only the simulator carries")
        self.setup = setup
        ring = TokenRing(nodes: (0..<setup.nodeCount).map { "node-\($0)" }, virtualNodes: setup.virtualNodes)
    }

    /// Runs `operations` operations of `stream` (open loop, arrival times
    /// from the stream) on the core ``Setup/replication`` names, and returns
    /// once every one has been answered.
    public func run(_ stream: OperationStream, operations: Int, seed: UInt64) -> ThreadedResult {
        setup.replication.withCore(Runner(cluster: self, stream: stream, operations: operations, seed: seed))
    }

    /// The same with `core` on every node (whatever ``Setup/replication`` says).
    public func run<Core: ReplicationCore>(_ core: Core.Type, _ stream: OperationStream, operations: Int, seed: UInt64) -> ThreadedResult {
        var rng = Xoshiro256StarStar(seed: seed)
        let clients = setup.clientThreads
        let clock = RunClock()
        let delivery = DeliveryThread<Core>(spin: setup.spinNanoseconds, clock: clock)
        let replicas = (0..<setup.replicaThreads).map { _ in ReplicaThread<Core>(clock: clock) }
        let clientThreads = Self.records(stream, operations: operations, clients: clients).map {
            ClientThread<Core>(records: $0, clock: clock, spin: setup.spinNanoseconds)
        }
        var seeds = rng
        let coreSeed = seeds.next() ^ 0xD1B5_4A32_D192_ED03
        let nodes = (0..<setup.nodeCount).map { Core(NodeSetup(id: $0, configuration: setup.quorum, ring: ring, randomSeed: coreSeed &+ UInt64($0))) }
        for replica in replicas {
            // Node i lives on replica thread i mod T; every thread holds a copy but steps only its own.
            replica.configure(nodes: nodes, network: setup.network, rng: rng.split(), delivery: delivery, clients: clientThreads)
        }
        delivery.replicas = replicas
        for client in clientThreads {
            client.configure(rng: rng.split(), nodeCount: setup.nodeCount, clientCount: clients, replicas: replicas)
        }

        clock.start()
        for id in nodes.indices {
            replicas[id % replicas.count].inbox.put(Scheduled(node: id, input: .start, intended: 0, isMessage: false))
        }
        let clientsDone = DispatchGroup(), serversDone = DispatchGroup()
        func spawn(_ name: String, _ group: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
            group.enter()
            let thread = Thread {
                body()
                group.leave()
            }
            thread.name = name
            thread.start()
        }
        spawn("delivery", serversDone) { delivery.run() }
        for (i, replica) in replicas.enumerated() { spawn("replica-\(i)", serversDone) { replica.run() } }
        for (i, client) in clientThreads.enumerated() { spawn("client-\(i)", clientsDone) { client.run() } }
        clientsDone.wait()
        let wall = clock.now() - Self.leadNanoseconds
        delivery.inbox.stop()
        for replica in replicas { replica.inbox.stop() }
        serversDone.wait()

        var result = ThreadedResult()
        result.wallNanoseconds = wall
        for client in clientThreads {
            result.simulation.reads.merge(client.reads)
            result.simulation.writes.merge(client.writes)
            result.records.append(contentsOf: client.records)
        }
        for replica in replicas {
            result.deliveryError.merge(replica.deliveryError)
            result.simulation.messages += replica.messages
            result.simulation.events += replica.steps
        }
        result.simulation.virtualNanoseconds = wall
        result.simulation.wallSeconds = Double(wall) / 1e9
        let finalNodes = nodes.indices.map { replicas[$0 % replicas.count].nodes[$0] }
        result.judge(network: setup.network) { finalNodes.mergedState(of: $0) }
        return result
    }

    /// Every operation, with its intended start, in its client thread's preallocated buffer (operation i to thread i mod C).
    static func records(_ stream: OperationStream, operations: Int, clients: Int) -> [ContiguousArray<OperationRecord>] {
        var stream = stream
        var buffers = (0..<clients).map { _ in ContiguousArray<OperationRecord>() }
        for b in buffers.indices { buffers[b].reserveCapacity(operations / clients + 1) }
        for i in 0..<operations {
            let op = stream.next()
            buffers[i % clients].append(OperationRecord(request: UInt64(i + 1), key: op.key, isWrite: op.isWrite, session: op.client,
                                                        intended: leadNanoseconds + op.arrivalNanoseconds))
        }
        return buffers
    }

    struct Runner: CoreRunner {
        let cluster: ThreadedCluster
        let stream: OperationStream
        let operations: Int
        let seed: UInt64

        func run<Core: ReplicationCore>(_ core: Core.Type) -> ThreadedResult {
            cluster.run(core, stream, operations: operations, seed: seed)
        }
    }
}
