import Lab
import Quorum
import Simulation
import Stats
import Workload

/// Confirms a candidate of a ``Plan`` in the discrete-event simulator with
/// the plan's topology (one node per replica, coordinator in the client's
/// datacenter, the same message delay model as the Monte Carlo):
/// - a healthy open-loop run of the plan's workload for read and write p99
///   and the fraction of acknowledged writes lost;
/// - one write then one read t ms after commit, per consistency objective,
///   for P(consistent) (the PBS experiment);
/// - per failure, the workload again with the failure as a fault schedule
///   for the whole run (the worst replicas down as crashes, a lost
///   datacenter's replicas crashed and its clients gone, a partition
///   isolating the datacenter) for the fraction of requests served.
///
/// The Dynamo core counts answers from anywhere, so only count levels (ONE,
/// TWO, THREE, QUORUM, ALL, numbers) can be confirmed; LOCAL_* and EACH_QUORUM
/// rest on the model alone.
///
/// - Complexity: (2 + objectives + failures) simulator runs of the plan's
///   `confirm_operations` each.
public enum PlanConfirmation {
    public struct Numbers: Sendable, Equatable {
        public var readP99Ms: Double?
        public var writeP99Ms: Double?
        /// P(consistent) per consistency objective time (t_ms, p).
        public var consistency: [(tMs: Double, p: Double)]
        /// Fraction served per failure, in the plan's order.
        public var availability: [(failure: String, served: Double)]
        public var lostWriteFraction: Double
        public var operations: Int

        public static func == (a: Numbers, b: Numbers) -> Bool {
            a.readP99Ms == b.readP99Ms && a.writeP99Ms == b.writeP99Ms && a.lostWriteFraction == b.lostWriteFraction
                && a.consistency.map(\.p) == b.consistency.map(\.p) && a.availability.map(\.served) == b.availability.map(\.served)
        }
    }

    public static func canConfirm(_ c: Candidate) -> Bool { c.readLevel.isCount && c.writeLevel.isCount }

    public static func run(_ plan: Plan, _ c: Candidate) -> Numbers? {
        guard canConfirm(c) else { return nil }
        let topology = plan.topology.with(replicas: c.replicas)
        // Clients in a datacenter with no node cannot be placed on a coordinator there.
        guard !topology.datacenters.contains(where: { $0.trafficShare > 0 && $0.replicas == 0 }) else { return nil }
        guard let read = c.readLevel.requirement(replicas: c.replicas, coordinator: 0)?.total,
              let write = c.writeLevel.requirement(replicas: c.replicas, coordinator: 0)?.total else { return nil }
        let n = c.nodes
        let maxRTT = topology.rtt.flatMap { $0 }.map { $0.quantile(0.999) }.max() ?? 0
        var quorum = QuorumConfiguration(n: n, r: read, w: write, timeoutNanoseconds: Int64((2 * maxRTT + 1_000) * 1e6),
                                         readRepair: c.readRepair, sloppyQuorum: c.sloppy)
        quorum.versioning = c.versioning
        let operations = plan.evaluation.confirmOperations
        let seed = plan.evaluation.seed ^ XXHashLabel.hash(c.label)

        func workload(_ topology: Topology, crashes: [NetworkModel.Crash], partitions: [NetworkModel.Partition]) -> SimulationResult {
            let network = NetworkModel(topology: topology, partitions: partitions, crashes: crashes)
            let setup = QuorumSimulation.Setup(nodeCount: n, virtualNodes: 16, quorum: quorum, network: network)
            var rng = Xoshiro256StarStar(seed: seed)
            let stream = OperationStream(ratePerSecond: plan.ratePerSecond, writeFraction: plan.writeFraction,
                                         keys: KeyDistribution(.uniform, keyCount: 1_000), clients: 64, rng: rng.split())
            return QuorumSimulation(setup).run(.workload(stream, operations: operations), seed: rng.next())
        }
        let healthy = workload(topology, crashes: [], partitions: [])
        func ms(_ h: LatencyHistogram) -> Double? { h.count == 0 ? nil : Double(h.value(atPercentile: 99)) / 1e6 }

        var consistency: [(tMs: Double, p: Double)] = []
        for floor in plan.objectives.consistency {
            let setup = QuorumSimulation.Setup(nodeCount: n, virtualNodes: 16, quorum: quorum, network: NetworkModel(topology: topology))
            let pairs = max(1, operations / 2)
            let result = QuorumSimulation(setup).run(.writeThenRead(pairs: pairs, readDelayNanoseconds: Int64((floor.tMs * 1e6).rounded()),
                                                                    spacingNanoseconds: Int64((2 * maxRTT + 100) * 1e6)), seed: seed)
            consistency.append((floor.tMs, result.successfulReads > 0 ? 1 - result.staleFraction : 0))
        }

        let replicaDC = topology.replicaDatacenters
        var availability: [(failure: String, served: Double)] = []
        for survival in plan.objectives.survive {
            let answer = Availability.served(survival.failure, topology: topology, replicas: c.replicas, read: c.readLevel, write: c.writeLevel,
                                             writeFraction: plan.writeFraction)
            var faulty = topology
            var crashes: [NetworkModel.Crash] = []
            var partitions: [NetworkModel.Partition] = []
            // The replicas the quorum arithmetic found worst to lose: the first ones of each datacenter.
            var left = answer.down
            for node in 0..<n where left[replicaDC[node]] > 0 {
                left[replicaDC[node]] -= 1
                crashes.append(.init(node: node, startNanoseconds: 0, endNanoseconds: .max))
            }
            switch survival.failure {
            case .anyNodes: break
            case .datacenterLost(let name):
                var datacenters = topology.datacenters
                datacenters[topology.index(of: name)!].trafficShare = 0
                if !datacenters.contains(where: { $0.trafficShare > 0 }) {
                    availability.append((survival.failure.description, 0))
                    continue
                }
                faulty = Topology(name: topology.name, datacenters: datacenters, rtt: topology.rtt)
            case .datacenterPartitioned(let name):
                let cut = topology.index(of: name)!
                partitions.append(.init(startNanoseconds: 0, endNanoseconds: .max, isolated: (0..<n).filter { replicaDC[$0] == cut }))
            }
            let result = workload(faulty, crashes: crashes, partitions: partitions)
            availability.append((survival.failure.description, 1 - result.failedFraction))
        }
        return Numbers(readP99Ms: ms(healthy.reads), writeP99Ms: ms(healthy.writes), consistency: consistency, availability: availability,
                       lostWriteFraction: healthy.lostWriteFraction, operations: operations)
    }
}
