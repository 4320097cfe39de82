import Consistency
import Quorum
import RuntimeSupport
import Simulation
import Stats
import Testing
import Threaded
import Workload

/// Every core in the registry runs a small scenario in both runtimes, so a
/// newly registered core is covered without touching this file: every
/// operation answered, the simulator deterministic, the threaded history
/// decided by the checker.
@Suite(.serialized) struct EveryCoreTests {
    static let operations = 200

    static func network() throws -> NetworkModel {
        NetworkModel(model: try LatencyModelCatalog.bundled.model(named: "lnkd-ssd"), nodeCount: 5)
    }

    /// Majorities of N = 3, which every core accepts.
    static let quorum = QuorumConfiguration(n: 3, r: 2, w: 2, timeoutNanoseconds: 500_000_000)

    static func stream(_ rng: inout Xoshiro256StarStar) -> OperationStream {
        OperationStream(ratePerSecond: 1_500, writeFraction: 0.5, keys: KeyDistribution(.uniform, keyCount: 8), clients: 4, rng: rng.split())
    }

    @Test(arguments: ReplicationProtocol.allCases)
    func runsInTheSimulator(_ replication: ReplicationProtocol) throws {
        let setup = QuorumSimulation.Setup(nodeCount: 5, quorum: Self.quorum, network: try Self.network(), replication: replication)
        func run() -> SimulationResult {
            var rng = Xoshiro256StarStar(seed: 7)
            return QuorumSimulation(setup).run(.workload(Self.stream(&rng), operations: Self.operations), seed: rng.next())
        }
        let result = run()
        #expect(result.readsIssued + result.writesIssued == Self.operations, "\(replication)")
        #expect(result.readsFailed + result.writesFailed == 0, "\(replication)")
        #expect(Int(result.reads.count + result.writes.count) == Self.operations, "\(replication)")
        #expect(result.messages > 0 && result.events > Self.operations, "\(replication)")
        #expect(run().deterministicCSV == result.deterministicCSV, "\(replication): the same seed must give the same run")
    }

    @Test(arguments: ReplicationProtocol.allCases)
    func runsOnThreads(_ replication: ReplicationProtocol) throws {
        let setup = ThreadedCluster.Setup(nodeCount: 5, quorum: Self.quorum, network: try Self.network(), replication: replication,
                                          replicaThreads: 2, clientThreads: 2)
        var rng = Xoshiro256StarStar(seed: 7)
        let result = ThreadedCluster(setup).run(Self.stream(&rng), operations: Self.operations, seed: rng.next())
        #expect(result.records.count == Self.operations, "\(replication)")
        #expect(result.records.allSatisfy { $0.invoked >= 0 && $0.completed >= $0.invoked && !$0.timedOut }, "\(replication)")
        #expect(result.simulation.readsIssued + result.simulation.writesIssued == Self.operations, "\(replication)")
        #expect(result.simulation.messages > 0, "\(replication)")
        let report = try LinearizabilityChecker().check(result.history)
        #expect(report.verdict != .unknown, "\(replication)")
    }

    @Test func registryNamesAreTheScenarioNames() {
        for replication in ReplicationProtocol.allCases {
            #expect(ReplicationProtocol(rawValue: replication.rawValue) == replication)
            #expect(ReplicationProtocol.namesForMessages.contains(replication.rawValue))
        }
        #expect(ReplicationProtocol.dynamo.honoursQuorumSettings)
        #expect(!ReplicationProtocol.abd.honoursQuorumSettings)
        #expect(!ReplicationProtocol.raft.honoursQuorumSettings)
    }
}
