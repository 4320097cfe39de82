import Foundation
import HashRing
import Quorum
import Simulation
import Stats
import Workload

/// The quorum protocol cores of the simulator, driven by real threads and
/// the real clock:
///
/// - **replica threads** own the nodes (node i on thread i mod T) and step
///   them as inputs arrive in their ``Inbox``;
/// - a **delivery thread** keeps every message and protocol timer in a heap
///   by due time and hands each to its node's thread when due: it sleeps on
///   a condition variable until `spinNanoseconds` before the deadline, then
///   yields in a loop, so sub-millisecond delays stay sub-millisecond. The
///   delivery-time error (actual − intended, measured by the replica thread
///   when it steps the message) is recorded per thread;
/// - **client threads** issue an open-loop workload: operation i goes to
///   client thread i mod C and is sent at its intended (Poisson) start;
///   latency is measured from that intended start, not from when the
///   thread got round to sending it (coordinated-omission correction, as
///   wrk2 does: Tene, "How NOT to Measure Latency", 2015).
///
/// Each client thread records into its own ``LatencyHistogram`` and into a
/// history buffer preallocated with one slot per operation; both are merged
/// after the threads join. Message delays come from the same
/// ``NetworkModel`` the simulator draws from (each replica thread has its
/// own seeded generator), so the runs are comparable; only the schedule is
/// real. Crashes are not modelled here.
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
    /// from the stream) and returns once every one has been answered.
    public func run(_ stream: OperationStream, operations: Int, seed: UInt64) -> ThreadedResult {
        var rng = Xoshiro256StarStar(seed: seed)
        var stream = stream
        let clients = setup.clientThreads
        // Every operation, with its intended start, in its client thread's preallocated buffer.
        var buffers = (0..<clients).map { _ in ContiguousArray<OperationRecord>() }
        for b in buffers.indices { buffers[b].reserveCapacity(operations / clients + 1) }
        for i in 0..<operations {
            let op = stream.next()
            buffers[i % clients].append(OperationRecord(request: UInt64(i + 1), key: op.key, isWrite: op.isWrite, session: op.client,
                                                        intended: Self.leadNanoseconds + op.arrivalNanoseconds))
        }
        let clock = RunClock()
        let delivery = DeliveryThread(spin: setup.spinNanoseconds, clock: clock)
        let replicas = (0..<setup.replicaThreads).map { _ in ReplicaThread(clock: clock) }
        let clientThreads = buffers.map { ClientThread(records: $0, clock: clock, spin: setup.spinNanoseconds) }
        let nodes = (0..<setup.nodeCount).map { ReplicaNode(setup.replication, id: $0, configuration: setup.quorum, ring: ring) }
        for replica in replicas {
            // Node i lives on replica thread i mod T; every thread holds a copy but steps only its own.
            replica.configure(nodes: nodes, network: setup.network, rng: rng.split(), delivery: delivery, clients: clientThreads)
        }
        delivery.replicas = replicas
        for client in clientThreads {
            client.configure(rng: rng.split(), nodeCount: setup.nodeCount, clientCount: clients, replicas: replicas)
        }

        clock.start()
        for (id, _) in nodes.enumerated() {
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
}

/// One operation as a client thread saw it; filled in place (no allocation during the run).
public struct OperationRecord: Sendable {
    public var request: UInt64
    public var key: UInt64
    public var isWrite: Bool
    public var session: Int
    /// The arrival process's start time (ns since the run began).
    public var intended: Int64
    /// When the client thread handed it to the coordinator; -1 before.
    public var invoked: Int64 = -1
    /// When the coordinator produced the reply; -1 if never.
    public var completed: Int64 = -1
    public var timedOut = false
    /// A write's version, or what a read returned.
    public var version: Versioned?
}

/// An input due at a node at `intended` (ns since the run began).
struct Scheduled: Sendable {
    let node: NodeID
    let input: Input
    let intended: Int64
    /// Messages count towards the delivery-time error; timers and client requests do not.
    let isMessage: Bool
}

struct ReplyItem: Sendable {
    let reply: ClientReply
    let completed: Int64
}

/// Nanoseconds since the run began, from the monotonic clock every thread shares.
final class RunClock: @unchecked Sendable {
    private var origin: UInt64 = 0
    func start() { origin = monotonicNanoseconds() }
    @inline(__always) func now() -> Int64 { Int64(bitPattern: monotonicNanoseconds() &- origin) }
}

/// Holds every in-flight message and timer until it is due.
final class DeliveryThread: @unchecked Sendable {
    let inbox = Inbox<Scheduled>(capacity: 4096)
    let spin: Int64
    let clock: RunClock
    var replicas: [ReplicaThread] = []

    init(spin: Int64, clock: RunClock) {
        self.spin = spin
        self.clock = clock
    }

    func run() {
        var heap = EventQueue<Scheduled>()
        var batch: [Scheduled] = []
        batch.reserveCapacity(4096)
        while true {
            var timeout: Int64?
            if let due = heap.earliest {
                let wait = due - clock.now()
                timeout = wait > spin ? wait - spin : 0
                if wait > 0 && wait <= spin { sched_yield() }
            }
            guard inbox.take(into: &batch, timeoutNanoseconds: timeout) else { return }
            for item in batch { heap.push(item, at: item.intended) }
            batch.removeAll(keepingCapacity: true)
            let now = clock.now()
            while let due = heap.earliest, due <= now {
                let item = heap.removeEarliest()
                replicas[item.node % replicas.count].inbox.put(item)
            }
        }
    }
}

/// Steps the nodes it owns and turns their effects into deliveries and replies.
final class ReplicaThread: @unchecked Sendable {
    let inbox = Inbox<Scheduled>(capacity: 4096)
    let clock: RunClock
    var nodes: [ReplicaNode] = []
    var network: NetworkModel!
    var rng = Xoshiro256StarStar(seed: 0)
    var delivery: DeliveryThread!
    var clients: [ClientThread] = []
    var deliveryError = LatencyHistogram()
    var messages = 0
    var steps = 0

    init(clock: RunClock) { self.clock = clock }

    func configure(nodes: [ReplicaNode], network: NetworkModel, rng: Xoshiro256StarStar, delivery: DeliveryThread, clients: [ClientThread]) {
        self.nodes = nodes
        self.network = network
        self.rng = rng
        self.delivery = delivery
        self.clients = clients
    }

    func run() {
        var batch: [Scheduled] = []
        batch.reserveCapacity(4096)
        while inbox.take(into: &batch, timeoutNanoseconds: nil) {
            for item in batch {
                let now = clock.now()
                if item.isMessage { deliveryError.record(nanoseconds: UInt64(max(0, now - item.intended))) }
                steps += 1
                let effects = nodes[item.node].step(now: now, item.input)
                apply(effects, node: item.node, now: now)
            }
            batch.removeAll(keepingCapacity: true)
        }
    }

    func apply(_ effects: [Effect], node: NodeID, now: Int64) {
        for effect in effects {
            switch effect {
            case .send(let to, let message):
                messages += 1
                if let due = network.deliveryTime(from: node, to: to, message: message, at: now, rng: &rng) {
                    delivery.inbox.put(Scheduled(node: to, input: .message(from: node, message), intended: due, isMessage: true))
                }
            case .setTimer(let after, let timer):
                delivery.inbox.put(Scheduled(node: node, input: .timer(timer), intended: now &+ after, isMessage: false))
            case .reply(let reply):
                let client = Int((reply.id - 1) % UInt64(clients.count))
                clients[client].inbox.put(ReplyItem(reply: reply, completed: clock.now()))
            }
        }
    }
}

/// Sends its share of the operations at their intended starts and records the replies.
final class ClientThread: @unchecked Sendable {
    let inbox = Inbox<ReplyItem>(capacity: 1024)
    let clock: RunClock
    let spin: Int64
    var records: ContiguousArray<OperationRecord>
    var reads = LatencyHistogram()
    var writes = LatencyHistogram()
    var rng = Xoshiro256StarStar(seed: 0)
    var nodeCount = 1
    var clientCount = 1
    var replicas: [ReplicaThread] = []

    init(records: ContiguousArray<OperationRecord>, clock: RunClock, spin: Int64) {
        self.records = records
        self.clock = clock
        self.spin = spin
    }

    func configure(rng: Xoshiro256StarStar, nodeCount: Int, clientCount: Int, replicas: [ReplicaThread]) {
        self.rng = rng
        self.clientCount = clientCount
        self.nodeCount = nodeCount
        self.replicas = replicas
    }

    func run() {
        var next = 0
        var outstanding = 0
        var batch: [ReplyItem] = []
        batch.reserveCapacity(1024)
        while next < records.count || outstanding > 0 {
            let timeout: Int64
            if next < records.count {
                let wait = records[next].intended - clock.now()
                timeout = wait > spin ? wait - spin : 0
            } else {
                timeout = 20_000_000
            }
            _ = inbox.take(into: &batch, timeoutNanoseconds: timeout)
            for item in batch {
                complete(item)
                outstanding -= 1
            }
            batch.removeAll(keepingCapacity: true)
            while next < records.count {
                let now = clock.now()
                let due = records[next].intended
                if due > now {
                    if due - now > spin { break }
                    sched_yield()
                    continue
                }
                issue(next, now: now)
                next += 1
                outstanding += 1
            }
        }
    }

    func issue(_ index: Int, now: Int64) {
        let r = records[index]
        let coordinator = Int(rng.next() % UInt64(nodeCount))
        let operation: ClientRequest.Operation = r.isWrite ? .write(key: r.key, sequence: r.request) : .read(key: r.key)
        records[index].invoked = now
        replicas[coordinator % replicas.count].inbox.put(
            Scheduled(node: coordinator, input: .client(ClientRequest(id: r.request, operation: operation, replicaChoice: rng.next())),
                      intended: now, isMessage: false))
    }

    func complete(_ item: ReplyItem) {
        // Requests are dealt round-robin, so a thread's k-th record has id k·C + c + 1.
        let index = Int((item.reply.id - records[0].request) / UInt64(clientCount))
        records[index].completed = item.completed
        let latency = UInt64(max(1, item.completed - records[index].intended))
        switch item.reply.outcome {
        case .timedOut:
            records[index].timedOut = true
        case .written(let version):
            records[index].version = version
            writes.record(nanoseconds: latency)
        case .read(let version):
            records[index].version = version
            reads.record(nanoseconds: latency)
        }
    }
}
