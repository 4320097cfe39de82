import Foundation
import Testing
@testable import Quorum
@testable import Simulation
@testable import Stats
@testable import Workload

/// The simulator against the acceptance checks.
@Suite struct QuorumSimulationTests {
    static func workload(_ ops: Int, writeFraction: Double = 0.5, rate: Double = 200, keys: Int = 50, seed: UInt64 = 11) -> QuorumSimulation.Driver {
        .workload(OperationStream(ratePerSecond: rate, writeFraction: writeFraction, keys: KeyDistribution(.uniform, keyCount: keys),
                                  clients: 8, rng: Xoshiro256StarStar(seed: seed)), operations: ops)
    }

    /// Zero-latency links and random quorums (write to W, read from R of N, chosen uniformly):
    /// the stale fraction is C(N−W,R)/C(N,R) (Bailis et al. §3.1) within its 5σ binomial error.
    @Test(arguments: [(3, 1, 1), (5, 2, 2), (5, 1, 3)])
    func zeroLatencyRandomQuorumsGiveTheClosedForm(n: Int, r: Int, w: Int) {
        var quorum = QuorumConfiguration(n: n, r: r, w: w)
        quorum.contactOnlyQuorum = true
        let setup = QuorumSimulation.Setup(nodeCount: n + 2, quorum: quorum, network: NetworkModel(delay: .init(.constant(0)), nodeCount: n + 2))
        let pairs = 6_000
        let result = QuorumSimulation(setup).run(.writeThenRead(pairs: pairs, readDelayNanoseconds: 0, spacingNanoseconds: 1_000_000), seed: 1)
        #expect(result.successfulReads == pairs)
        let expected = PBSReport.staleProbability(n: n, r: r, w: w)
        let sigma = (expected * (1 - expected) / Double(pairs)).squareRoot()
        #expect(abs(result.staleFraction - expected) <= 5 * sigma, "\(result.staleFraction) vs \(expected)")
    }

    /// One write then one read t ms after commit, no repair, coordinator not a replica, all
    /// legs drawn from lnkd-ssd: P(consistent) agrees with the WARS Monte Carlo of `caplab pbs`.
    @Test(arguments: [0.0, 0.3])
    func writeThenReadAgreesWithPBS(tMs: Double) throws {
        let ssd = try LatencyModelCatalog.bundled.model(named: "lnkd-ssd")
        let setup = QuorumSimulation.Setup(nodeCount: 4, quorum: QuorumConfiguration(n: 3, r: 1, w: 1),
                                           network: NetworkModel(delay: ssd.write, nodeCount: 4))
        let pairs = 8_000
        let sim = QuorumSimulation(setup).run(.writeThenRead(pairs: pairs, readDelayNanoseconds: Int64(tMs * 1e6), spacingNanoseconds: 50_000_000), seed: 2)
        var rng = Xoshiro256StarStar(seed: 3)
        let mc = PBSMonteCarlo(model: ssd, n: 3, r: 1, w: 1).run(trials: 100_000, rng: &rng)
        let expected = PBSReport.fractionAtOrBelow(mc.threshold, tMs)
        let simulated = 1 - sim.staleFraction
        let sigma = (expected * (1 - expected) * (1 / Double(pairs) + 1 / 100_000.0)).squareRoot()
        #expect(abs(simulated - expected) <= 5 * sigma + 1e-9, "simulated \(simulated) vs PBS \(expected)")
    }

    /// R + W > N, no failures, no clock skew: never a stale read, even with concurrent operations.
    @Test(arguments: [(3, 2, 2), (3, 1, 3), (5, 3, 3)])
    func strictQuorumsNeverReadStale(n: Int, r: Int, w: Int) throws {
        let disk = try LatencyModelCatalog.bundled.model(named: "lnkd-disk")
        let setup = QuorumSimulation.Setup(nodeCount: 6, quorum: QuorumConfiguration(n: n, r: r, w: w, timeoutNanoseconds: 5_000_000_000),
                                           network: NetworkModel(delay: disk.write, nodeCount: 6))
        let result = QuorumSimulation(setup).run(Self.workload(1_500, rate: 500, keys: 20), seed: 4)
        #expect(result.readsFailed == 0 && result.writesFailed == 0)
        #expect(result.successfulReads > 500)
        #expect(result.staleReads == 0 && result.readYourWritesViolations == 0 && result.monotonicReadViolations == 0)
    }

    /// Partial quorums do read stale under the same load (the check above is not vacuous).
    @Test func partialQuorumsReadStale() throws {
        let disk = try LatencyModelCatalog.bundled.model(named: "lnkd-disk")
        let setup = QuorumSimulation.Setup(nodeCount: 6, quorum: QuorumConfiguration(n: 3, r: 1, w: 1),
                                           network: NetworkModel(delay: disk.write, nodeCount: 6))
        let result = QuorumSimulation(setup).run(Self.workload(1_500, rate: 500, keys: 20), seed: 4)
        #expect(result.staleReads > 0)
    }

    /// Nodes 0 and 1 cut off from 2, 3, 4 for the whole run, N=3, W=2: a coordinator on the
    /// minority side whose key has fewer than 2 owners there cannot write with a strict quorum;
    /// with a sloppy quorum the fallback nodes on its side take hinted writes and every write succeeds.
    @Test func partitionFailsStrictWritesAndSloppyQuorumSucceeds() {
        func run(sloppy: Bool) -> SimulationResult {
            let partition = NetworkModel.Partition(startNanoseconds: 0, endNanoseconds: .max, isolated: [0, 1])
            let network = NetworkModel(delay: .init(.exponential(rate: 2)), nodeCount: 5, partitions: [partition])
            let setup = QuorumSimulation.Setup(nodeCount: 5, quorum: QuorumConfiguration(n: 3, r: 1, w: 2, sloppyQuorum: sloppy), network: network)
            return QuorumSimulation(setup).run(Self.workload(400, writeFraction: 1, keys: 100), seed: 6)
        }
        let strict = run(sloppy: false)
        let sloppy = run(sloppy: true)
        #expect(strict.writesFailed > 0)
        #expect(strict.failedInPartition == strict.writesFailed && strict.issuedInPartition == 400)
        #expect(sloppy.writesFailed == 0)
    }

    /// A crashed coordinator's requests fail, and only those that arrive
    /// while it is down: the cluster recovers afterwards. A partition that
    /// isolates no node changes no delivery but marks the crash window, so
    /// `failedInPartition` counts the failures of requests issued inside it.
    @Test func crashesFailRequestsOnlyWhileDown() {
        let start: Int64 = 600_000_000, end: Int64 = 1_100_000_000
        let crash = NetworkModel.Crash(node: 0, startNanoseconds: start, endNanoseconds: end)
        let marker = NetworkModel.Partition(startNanoseconds: start, endNanoseconds: end, isolated: [])
        let network = NetworkModel(delay: .init(.constant(1)), nodeCount: 4, partitions: [marker], crashes: [crash])
        let setup = QuorumSimulation.Setup(nodeCount: 4, quorum: QuorumConfiguration(n: 3, r: 2, w: 2), network: network)
        let result = QuorumSimulation(setup).run(Self.workload(600, rate: 200), seed: 8)
        let failed = result.readsFailed + result.writesFailed
        #expect(failed > 0)
        #expect(result.failedInPartition == failed, "\(failed - result.failedInPartition) of \(failed) failures arrived outside the crash window")
        // Coordinators are uniform over 4 nodes: about a quarter of the window's requests land on node 0.
        #expect(Double(failed) > Double(result.issuedInPartition) / 8 && Double(failed) < Double(result.issuedInPartition) / 2,
                "\(failed) failures for \(result.issuedInPartition) requests in the window")
        // The same run without the crash fails nothing.
        let healthy = QuorumSimulation(.init(nodeCount: 4, quorum: QuorumConfiguration(n: 3, r: 2, w: 2),
                                             network: NetworkModel(delay: .init(.constant(1)), nodeCount: 4, partitions: [marker])))
            .run(Self.workload(600, rate: 200), seed: 8)
        #expect(healthy.readsFailed + healthy.writesFailed == 0)
    }

    /// Same seed, same bytes; another seed, other bytes.
    @Test func sameSeedSameOutput() throws {
        let ymmr = try LatencyModelCatalog.bundled.model(named: "ymmr")
        let partition = NetworkModel.Partition(startNanoseconds: 200_000_000, endNanoseconds: 600_000_000, isolated: [1])
        let network = NetworkModel(delay: ymmr.writeAck, nodeCount: 5, lossProbability: 0.01, partitions: [partition],
                                   crashes: [.init(node: 2, startNanoseconds: 300_000_000, endNanoseconds: 700_000_000)])
        let setup = QuorumSimulation.Setup(nodeCount: 5, quorum: QuorumConfiguration(n: 3, r: 1, w: 2, readRepair: .background, sloppyQuorum: true),
                                           network: network, maxClockSkewMs: 5)
        let a = QuorumSimulation(setup).run(Self.workload(800, rate: 1_000), seed: 9).deterministicCSV
        let b = QuorumSimulation(setup).run(Self.workload(800, rate: 1_000), seed: 9).deterministicCSV
        let c = QuorumSimulation(setup).run(Self.workload(800, rate: 1_000), seed: 10).deterministicCSV
        #expect(a == b)
        #expect(a != c)
    }
}

@Suite struct ClosedLoopTests {
    /// 4 clients, 10 ms think time, 1 ms links, R = W = 1: each operation takes 2 ms
    /// (request + answer), so 100 rounds per client take about 100 × 12 ms.
    @Test func closedLoopClientsWaitForTheirReplies() {
        let setup = QuorumSimulation.Setup(nodeCount: 4, quorum: QuorumConfiguration(n: 3, r: 1, w: 1),
                                           network: NetworkModel(delay: .init(.constant(1)), nodeCount: 4))
        let stream = OperationStream(ratePerSecond: 1, writeFraction: 0.5, keys: KeyDistribution(.uniform, keyCount: 10), clients: 4,
                                     rng: Xoshiro256StarStar(seed: 1))
        let result = QuorumSimulation(setup).run(.closedLoop(stream, clients: 4, thinkNanoseconds: 10_000_000, operations: 400), seed: 2)
        #expect(result.readsIssued + result.writesIssued == 400)
        #expect(result.reads.count + result.writes.count == 400)
        #expect(result.reads.value(atPercentile: 50) == result.reads.value(atPercentile: 99)) // every read: exactly 2 ms
        #expect(abs(Double(result.reads.value(atPercentile: 50)) - 2e6) < 2e6 * 0.001)
        // Each client's 100th operation is issued at 99 × 12 ms = 1.188 s; the run's last event is
        // that request's (now moot) 100 ms timeout timer.
        #expect(result.virtualNanoseconds == 1_288_000_000)
    }

    /// A coordinator that crashes with requests in flight loses them, and
    /// each of their clients times out (it is not left waiting for ever):
    /// every operation of a closed-loop run is answered or failed, and the
    /// run ends. One client with no think time always has a request in
    /// flight (2 ms each) at a uniformly chosen coordinator, so 40 brief
    /// crashes, each node in turn, catch it (all miss with probability
    /// (3/4)^40 ≈ 10⁻⁵).
    @Test func requestsInFlightAtACoordinatorCrashTimeOut() {
        let crashes = (0..<40).map { i -> NetworkModel.Crash in
            let start = Int64(20 + 10 * i) * 1_000_000 + 500_000
            return NetworkModel.Crash(node: i % 4, startNanoseconds: start, endNanoseconds: start + 200_000)
        }
        let setup = QuorumSimulation.Setup(nodeCount: 4, quorum: QuorumConfiguration(n: 3, r: 2, w: 2),
                                           network: NetworkModel(delay: .init(.constant(1)), nodeCount: 4, crashes: crashes))
        let stream = OperationStream(ratePerSecond: 1, writeFraction: 0.5, keys: KeyDistribution(.uniform, keyCount: 10), clients: 1,
                                     rng: Xoshiro256StarStar(seed: 1))
        let result = QuorumSimulation(setup).run(.closedLoop(stream, clients: 1, thinkNanoseconds: 0, operations: 300), seed: 3)
        let failed = result.readsFailed + result.writesFailed
        #expect(result.readsIssued + result.writesIssued == 300)
        #expect(Int(result.reads.count + result.writes.count) + failed == 300)
        #expect(failed > 0)
    }
}
