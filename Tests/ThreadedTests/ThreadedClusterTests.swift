import Consistency
import Quorum
import RuntimeSupport
import Stats
import Testing
import Workload
@testable import Threaded

/// Small real-time runs: every operation answered, a history recorded, and
/// the checker's verdict matching what the protocol guarantees.
@Suite(.serialized) struct ThreadedClusterTests {
    static func run(_ replication: ReplicationProtocol, r: Int, w: Int, readRepair: QuorumConfiguration.ReadRepair = .off,
                    operations: Int = 400, seed: UInt64 = 1) throws -> ThreadedResult {
        let model = try LatencyModelCatalog.bundled.model(named: "lnkd-ssd")
        let setup = ThreadedCluster.Setup(
            nodeCount: 5, quorum: QuorumConfiguration(n: 3, r: r, w: w, timeoutNanoseconds: 500_000_000, readRepair: readRepair),
            network: NetworkModel(model: model, nodeCount: 5), replication: replication, replicaThreads: 2, clientThreads: 2)
        var rng = Xoshiro256StarStar(seed: seed)
        // Few keys and a high rate, so operations on a key overlap.
        let stream = OperationStream(ratePerSecond: 1_500, writeFraction: 0.5, keys: KeyDistribution(.uniform, keyCount: 4),
                                     clients: 4, rng: rng.split())
        return ThreadedCluster(setup).run(stream, operations: operations, seed: rng.next())
    }

    @Test func abdRunIsLinearizable() throws {
        let result = try Self.run(.abd, r: 2, w: 2)
        #expect(result.records.count == 400)
        #expect(result.records.allSatisfy { $0.invoked >= 0 && $0.completed >= $0.invoked })
        #expect(result.simulation.readsIssued + result.simulation.writesIssued == 400)
        #expect(result.simulation.reads.count + result.simulation.writes.count == 400 - UInt64(result.simulation.readsFailed + result.simulation.writesFailed))
        #expect(result.simulation.staleReads == 0)
        #expect(result.deliveryError.count > 0)
        let history = result.history
        #expect(history.events.count == 800)
        let report = try LinearizabilityChecker().check(history)
        #expect(report.verdict == .linearizable, "\(report.rendered())")
        // The history survives a round trip through both formats.
        for format in HistoryFormat.allCases {
            #expect(try HistoryFormat.parse(format.render(history)).events == history.events)
        }
    }

    @Test func dynamoRunsCompleteWithAVerdict() throws {
        let result = try Self.run(.dynamo, r: 1, w: 1, operations: 300)
        #expect(result.records.allSatisfy { $0.completed >= 0 })
        let report = try LinearizabilityChecker().check(result.history)
        // R = W = 1 may or may not be caught in a run this short; the checker must decide.
        #expect(report.verdict != .unknown)
        #expect(result.simulation.messages > 0)
    }
}
