import Quorum
import Stats
import Testing
import Workload
@testable import Simulation

/// ABD in the simulator: no read may miss a write completed before it began.
@Suite struct ABDSimulationTests {
    @Test func abdNeverReadsStale() throws {
        let model = try LatencyModelCatalog.bundled.model(named: "lnkd-disk")
        for seed in 1...3 as ClosedRange<UInt64> {
            var rng = Xoshiro256StarStar(seed: seed)
            let setup = QuorumSimulation.Setup(nodeCount: 5, quorum: QuorumConfiguration(n: 3, r: 2, w: 2),
                                               network: NetworkModel(model: model, nodeCount: 5), replication: .abd)
            let stream = OperationStream(ratePerSecond: 2_000, writeFraction: 0.5, keys: KeyDistribution(.uniform, keyCount: 5), clients: 8, rng: rng.split())
            let result = QuorumSimulation(setup).run(.workload(stream, operations: 2_000), seed: rng.next())
            #expect(result.readsFailed + result.writesFailed == 0)
            #expect(result.staleReads == 0)
            // Two round trips of N messages and N answers for a write: at least 3 messages per operation on average.
            #expect(result.messagesPerOperation > 3)
        }
    }
}
