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
                    operations: Int = 400, seed: UInt64 = 1, model name: String = "lnkd-ssd", network: NetworkModel? = nil,
                    rate: Double = 1_500, clients: Int = 4) throws -> ThreadedResult {
        let model = try LatencyModelCatalog.bundled.model(named: name)
        let setup = ThreadedCluster.Setup(
            nodeCount: 5, quorum: QuorumConfiguration(n: 3, r: r, w: w, timeoutNanoseconds: 500_000_000, readRepair: readRepair),
            network: network ?? NetworkModel(model: model, nodeCount: 5), replication: replication, replicaThreads: 2, clientThreads: 2)
        var rng = Xoshiro256StarStar(seed: seed)
        // Few keys and a high rate, so operations on a key overlap.
        let stream = OperationStream(ratePerSecond: rate, writeFraction: 0.5, keys: KeyDistribution(.uniform, keyCount: 4),
                                     clients: clients, rng: rng.split())
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

    /// R = W = 1 on lnkd-disk (writes take milliseconds to reach every
    /// replica; P(consistent read) right after a write is 0.44 by PBS): with
    /// writes overlapping reads on 4 keys (the `linearizability` experiment's
    /// 200 writes/s per key, where every history it ran failed), a
    /// 1 000-operation history has stale reads after fresh ones, which the
    /// checker must find.
    @Test func dynamoR1W1IsNotLinearizable() throws {
        let result = try Self.run(.dynamo, r: 1, w: 1, operations: 1_000, model: "lnkd-disk", rate: 1_600, clients: 16)
        #expect(result.records.allSatisfy { $0.completed >= 0 })
        #expect(result.simulation.staleReads > 0)
        let report = try LinearizabilityChecker().check(result.history)
        #expect(report.verdict == .notLinearizable, "\(report.rendered())")
        #expect(result.simulation.messages > 0)
    }

    /// Every message takes exactly 2 ms: every operation needs at least one
    /// round trip to the replicas (4 ms; ABD's second phase is skipped when
    /// the majority already agrees), so none can be faster than that. The
    /// median may be later by the runtime's scheduling on a loaded machine,
    /// but not by orders of magnitude.
    @Test(arguments: [(ReplicationProtocol.dynamo, 2, 2, 4.0), (.abd, 2, 2, 4.0)])
    func latencyFollowsTheConfiguredDelays(_ replication: ReplicationProtocol, r: Int, w: Int, roundTripsMs: Double) throws {
        let network = NetworkModel(delay: LatencyDistribution(.constant(2)), nodeCount: 5)
        let result = try Self.run(replication, r: r, w: w, operations: 200, network: network, rate: 500)
        for (kind, histogram) in [("read", result.simulation.reads), ("write", result.simulation.writes)] {
            let floorNs = roundTripsMs * 1e6
            let minimum = Double(histogram.value(atPercentile: 0))
            let median = Double(histogram.value(atPercentile: 50))
            #expect(histogram.count > 50)
            #expect(minimum >= floorNs * 0.999, "\(replication) \(kind): fastest \(minimum) ns beats \(roundTripsMs) ms of message delays")
            #expect(median <= floorNs * 10, "\(replication) \(kind): median \(median) ns, expected a few × \(roundTripsMs) ms")
        }
    }
}
