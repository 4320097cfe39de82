import Quorum
import Stats

/// The modelled network and fault schedule both runtimes share: one-way
/// delay per message from a latency distribution (ms) or per WARS leg, an
/// extra delay between datacenters, message loss, partitions and node
/// crashes on a schedule. All randomness comes from the caller's seeded
/// generator (the simulator's, or each replica thread's).
public struct NetworkModel: Sendable {
    /// A window in which `isolated` nodes can reach only each other.
    public struct Partition: Sendable, Equatable {
        public let startNanoseconds: Int64
        public let endNanoseconds: Int64
        public let isolated: [NodeID]

        public init(startNanoseconds: Int64, endNanoseconds: Int64, isolated: [NodeID]) {
            self.startNanoseconds = startNanoseconds
            self.endNanoseconds = endNanoseconds
            self.isolated = isolated
        }

        func separates(_ a: NodeID, _ b: NodeID, at time: Int64) -> Bool {
            time >= startNanoseconds && time < endNanoseconds && isolated.contains(a) != isolated.contains(b)
        }
    }

    /// A node down from `startNanoseconds` until `endNanoseconds` (it then restarts with its durable state).
    public struct Crash: Sendable, Equatable {
        public let node: NodeID
        public let startNanoseconds: Int64
        public let endNanoseconds: Int64

        public init(node: NodeID, startNanoseconds: Int64, endNanoseconds: Int64) {
            self.node = node
            self.startNanoseconds = startNanoseconds
            self.endNanoseconds = endNanoseconds
        }
    }

    public var delay: LatencyDistribution
    /// When set, each message draws its delay from the WARS leg it plays
    /// (store/repair/handoff: W; their acks: A; fetch: R; its answer: S),
    /// as the PBS model does; `delay` is then unused.
    public var legs: LatencyModel?
    /// Datacenter of each node; messages between datacenters pay `crossDatacenterMs` more.
    public var datacenter: [Int]
    public var crossDatacenterMs: Double
    /// When set, delays follow the topology's model (RTT/2 plus the leg's
    /// draw from the replica end's datacenter); `datacenter` then holds each
    /// node's index in it and `crossDatacenterMs` is unused.
    public var topology: Topology?
    public var lossProbability: Double
    public var partitions: [Partition]
    public var crashes: [Crash]

    /// Delays from a WARS model's legs; a model with a remote delay spreads
    /// the nodes over two datacenters that far apart.
    public init(model: LatencyModel, nodeCount: Int, lossProbability: Double = 0, partitions: [Partition] = [], crashes: [Crash] = []) {
        self.init(delay: model.write, nodeCount: nodeCount, datacenters: model.remoteDelayMs == nil ? 1 : 2,
                  crossDatacenterMs: model.remoteDelayMs ?? 0, lossProbability: lossProbability, partitions: partitions, crashes: crashes)
        legs = model
    }

    /// One node per replica of `topology`, placed in its datacenters in order.
    public init(topology: Topology, lossProbability: Double = 0, partitions: [Partition] = [], crashes: [Crash] = []) {
        self.init(delay: topology.datacenters[0].service.write, nodeCount: topology.replicaCount, lossProbability: lossProbability,
                  partitions: partitions, crashes: crashes)
        self.topology = topology
        datacenter = topology.replicaDatacenters
    }

    public init(delay: LatencyDistribution, nodeCount: Int, datacenters: Int = 1, crossDatacenterMs: Double = 0,
                lossProbability: Double = 0, partitions: [Partition] = [], crashes: [Crash] = []) {
        self.delay = delay
        datacenter = (0..<nodeCount).map { $0 % Swift.max(1, datacenters) }
        self.crossDatacenterMs = crossDatacenterMs
        self.lossProbability = lossProbability
        self.partitions = partitions
        self.crashes = crashes
    }

    /// When a message sent now arrives, or nil when it is lost or cut off by a partition.
    @inlinable
    public func deliveryTime<M: CoreMessage>(from: NodeID, to: NodeID, message: M, at now: Int64, rng: inout Xoshiro256StarStar) -> Int64? {
        deliveryTime(from: from, to: to, leg: message.leg, at: now, rng: &rng)
    }

    /// When a message playing WARS leg `leg` sent now arrives, or nil when it is lost or cut off by a partition.
    public func deliveryTime(from: NodeID, to: NodeID, leg: MessageLeg, at now: Int64, rng: inout Xoshiro256StarStar) -> Int64? {
        if isPartitioned(from, to, at: now) { return nil }
        if lossProbability > 0 && rng.nextUnitDouble() < lossProbability { return nil }
        var ms: Double
        if let topology {
            let replica: Int
            switch leg {
            case .write, .read: replica = datacenter[to]
            case .writeAck, .readResponse: replica = datacenter[from]
            }
            ms = topology.oneWay(from: datacenter[from], to: datacenter[to], replica: replica, leg: leg, &rng)
            return now &+ Int64((ms * 1e6).rounded())
        }
        if let legs {
            switch leg {
            case .write: ms = legs.write.sample(&rng)
            case .writeAck: ms = legs.writeAck.sample(&rng)
            case .read: ms = legs.read.sample(&rng)
            case .readResponse: ms = legs.readResponse.sample(&rng)
            }
        } else {
            ms = delay.sample(&rng)
        }
        if datacenter[from] != datacenter[to] { ms += crossDatacenterMs }
        return now &+ Int64((ms * 1e6).rounded())
    }

    public func isPartitioned(_ a: NodeID, _ b: NodeID, at time: Int64) -> Bool {
        partitions.contains { $0.separates(a, b, at: time) }
    }

    /// Whether `time` lies inside any partition window.
    public func inPartitionWindow(_ time: Int64) -> Bool {
        partitions.contains { time >= $0.startNanoseconds && time < $0.endNanoseconds }
    }
}
