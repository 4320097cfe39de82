import Quorum
import Stats

/// Where replicas and clients are: named datacenters, each with its share of
/// client traffic, its replica count (Cassandra's NetworkTopologyStrategy:
/// replicas per datacenter) and its per-node service latency model, and a
/// round-trip-time matrix between datacenters (asymmetric allowed; each
/// entry a constant or an empirical distribution of measured samples).
/// `caplab pbs --topology`, the simulator (scenario `topology:`) and
/// `caplab plan` share it.
///
/// **Message delay model.** A message from a node in datacenter a to one in
/// datacenter b takes RTT(a, b)/2 plus a draw from the WARS leg it plays
/// (Bailis et al., PVLDB 5(8), 2012, §5: W write, A ack, R read, S
/// response), taken from the service model of the datacenter of the
/// *replica* end of the exchange (the receiver of W and R, the sender of A
/// and S). Within a datacenter the same rule applies with RTT(a, a). The
/// coordinator runs in the client's datacenter.
///
/// - Complexity: ``oneWay(from:to:replica:leg:_:)`` O(1), one or two draws
///   (none for a constant RTT), no allocation.
public struct Topology: Sendable, Equatable {
    public struct Datacenter: Sendable, Equatable {
        public var name: String
        /// Fraction of client requests issued here (the shares are normalised to sum to 1).
        public var trafficShare: Double
        public var replicas: Int
        /// The WARS legs of a replica in this datacenter.
        public var service: LatencyModel

        public init(name: String, trafficShare: Double, replicas: Int, service: LatencyModel) {
            self.name = name
            self.trafficShare = trafficShare
            self.replicas = replicas
            self.service = service
        }
    }

    public var name: String
    /// Set at init (the traffic draw is precomputed from it); ``with(replicas:)`` changes the counts.
    public private(set) var datacenters: [Datacenter]
    /// `rtt[a][b]`: round-trip time from a to b, ms.
    public var rtt: [[LatencyDistribution]]
    /// Constant RTTs, precomputed so a constant costs no draw.
    @usableFromInline let rttConstant: [[Double?]]
    /// Cumulative traffic shares, last exactly 1.
    @usableFromInline let trafficCumulative: [Double]
    /// Whether more than one datacenter has clients (then drawing one costs a random number), and the first that has.
    public let hasSeveralClientDatacenters: Bool
    @usableFromInline let firstClientDatacenter: Int

    /// - Precondition: a square matrix of the datacenters' size, shares ≥ 0
    ///   with a positive sum, replicas ≥ 0 (readers validate their input first).
    public init(name: String, datacenters: [Datacenter], rtt: [[LatencyDistribution]]) {
        precondition(!datacenters.isEmpty && rtt.count == datacenters.count && rtt.allSatisfy { $0.count == datacenters.count },
                     "a topology needs a square RTT matrix over its datacenters")
        let total = datacenters.reduce(0) { $0 + $1.trafficShare }
        precondition(total > 0 && datacenters.allSatisfy { $0.trafficShare >= 0 && $0.replicas >= 0 }, "traffic shares and replicas must be ≥ 0")
        self.name = name
        self.datacenters = datacenters
        self.rtt = rtt
        rttConstant = rtt.map { row in
            row.map { d in
                if d.components.count == 1, case .constant(let v) = d.components[0].family { return v }
                return nil
            }
        }
        var running = 0.0
        var cumulative = datacenters.map { dc -> Double in
            running += dc.trafficShare / total
            return running
        }
        cumulative[cumulative.count - 1] = 1
        trafficCumulative = cumulative
        hasSeveralClientDatacenters = datacenters.filter { $0.trafficShare > 0 }.count > 1
        firstClientDatacenter = datacenters.firstIndex { $0.trafficShare > 0 } ?? 0
    }

    /// One datacenter holding `replicas` replicas of `model`, RTT 0: the single-site PBS model.
    public static func singleDatacenter(_ model: LatencyModel, replicas: Int) -> Topology {
        Topology(name: "one datacenter (\(model.name))",
                 datacenters: [Datacenter(name: "dc", trafficShare: 1, replicas: replicas, service: model)],
                 rtt: [[LatencyDistribution(.constant(0))]])
    }

    public static func == (a: Topology, b: Topology) -> Bool {
        a.name == b.name && a.datacenters == b.datacenters && a.rtt == b.rtt
    }

    public var replicaCount: Int { datacenters.reduce(0) { $0 + $1.replicas } }
    public var replicasPerDatacenter: [Int] { datacenters.map(\.replicas) }

    /// The datacenter of each replica: all of the first datacenter's, then the second's, …
    public var replicaDatacenters: [Int] {
        datacenters.indices.flatMap { Array(repeating: $0, count: datacenters[$0].replicas) }
    }

    public func index(of name: String) -> Int? { datacenters.firstIndex { $0.name == name } }

    /// The same network with other replica counts.
    public func with(replicas: [Int]) -> Topology {
        precondition(replicas.count == datacenters.count)
        var copy = self
        for i in replicas.indices { copy.datacenters[i].replicas = replicas[i] }
        return copy
    }

    /// A client's datacenter, drawn by traffic share (no draw when only one has clients).
    @inlinable
    public func clientDatacenter(_ rng: inout Xoshiro256StarStar) -> Int {
        if !hasSeveralClientDatacenters { return firstClientDatacenter }
        let u = rng.nextUnitDouble()
        return trafficCumulative.firstIndex { u < $0 } ?? (datacenters.count - 1)
    }

    /// Half a round trip from a to b, ms.
    @inlinable
    public func halfRTT(from a: Int, to b: Int, _ rng: inout Xoshiro256StarStar) -> Double {
        if let constant = rttConstant[a][b] { return constant / 2 }
        return rtt[a][b].sample(&rng) / 2
    }

    /// The delay of one message from datacenter `a` to `b` playing `leg`,
    /// with the service draw from the replica's datacenter `replica`, ms.
    @inlinable
    public func oneWay(from a: Int, to b: Int, replica: Int, leg: MessageLeg, _ rng: inout Xoshiro256StarStar) -> Double {
        let service = datacenters[replica].service
        let draw: Double
        switch leg {
        case .write: draw = service.write.sample(&rng)
        case .writeAck: draw = service.writeAck.sample(&rng)
        case .read: draw = service.read.sample(&rng)
        case .readResponse: draw = service.readResponse.sample(&rng)
        }
        return draw + halfRTT(from: a, to: b, &rng)
    }

    /// One line for reports: names, replicas, RTTs.
    public var summary: String {
        let dcs = datacenters.map { "\($0.name) (\($0.replicas) replicas, \($0.service.name), \(Int(($0.trafficShare * 100).rounded())) % share)" }
        return "\(name): " + dcs.joined(separator: ", ")
    }
}
