import Consistency
import Quorum
import RuntimeSupport
import Simulation
import Stats
import Testing
import Workload

/// Histories of simulated Raft runs through the repository's
/// linearizability checker: log and ReadIndex reads are linearizable, also
/// across a leader isolation and crashes; follower (serializable) reads are
/// stale and not linearizable once a member is cut off; lease reads are
/// linearizable while clocks drift within the lease's bound and not when a
/// slow leader's clock runs beyond it (Ongaro thesis §6.4.1).
@Suite struct RaftLinearizabilityTests {
    static let ms: Int64 = 1_000_000

    /// 5 nodes (a group of 3 and two proxies), lnkd-ssd delays, 8 hot keys, half writes.
    static func run(_ mode: RaftConfiguration.ReadMode, operations: Int, partitions: [NetworkModel.Partition] = [],
                    crashes: [NetworkModel.Crash] = [], drifts: [Double]? = nil, seed: UInt64 = 3) throws -> (SimulationResult, LinearizabilityChecker.Report) {
        var quorum = QuorumConfiguration(n: 3, r: 2, w: 2, timeoutNanoseconds: 1_000 * ms)
        quorum.raft = RaftConfiguration(readMode: mode)
        let network = NetworkModel(model: try LatencyModelCatalog.bundled.model(named: "lnkd-ssd"), nodeCount: 5,
                                   partitions: partitions, crashes: crashes)
        var setup = QuorumSimulation.Setup(nodeCount: 5, quorum: quorum, network: network, replication: .raft)
        setup.recordsHistory = true
        setup.clockDrifts = drifts
        var rng = Xoshiro256StarStar(seed: seed)
        let stream = OperationStream(ratePerSecond: 1_000, writeFraction: 0.5, keys: KeyDistribution(.uniform, keyCount: 8), clients: 8, rng: rng.split())
        let result = QuorumSimulation(setup).run(.workload(stream, operations: operations), seed: rng.next())
        return (result, try LinearizabilityChecker().check(result.records.history))
    }

    /// The leader-isolation schedule: node 1 down at first, node 2 down later, then node 0 cut off.
    static let crashes = [NetworkModel.Crash(node: 1, startNanoseconds: 0, endNanoseconds: 2_000 * ms),
                          NetworkModel.Crash(node: 2, startNanoseconds: 2_000 * ms, endNanoseconds: 3_000 * ms)]
    static let isolateNode0 = [NetworkModel.Partition(startNanoseconds: 3_500 * ms, endNanoseconds: 5_000 * ms, isolated: [0])]

    @Test(arguments: [RaftConfiguration.ReadMode.log, .readIndex])
    func linearizableReadModesAreLinearizable(_ mode: RaftConfiguration.ReadMode) throws {
        let (result, report) = try Self.run(mode, operations: 5_000, partitions: Self.isolateNode0, crashes: Self.crashes)
        #expect(result.reads.count > 1_000 && result.writes.count > 1_000)
        #expect(report.verdict == .linearizable, "\(mode): \(report.violations.prefix(3))")
        #expect(result.staleReads == 0)
    }

    @Test func followerReadsOfACutOffMemberAreStale() throws {
        let cutOff = [NetworkModel.Partition(startNanoseconds: 500 * Self.ms, endNanoseconds: 3_000 * Self.ms, isolated: [2])]
        let (result, report) = try Self.run(.follower, operations: 3_000, partitions: cutOff)
        #expect(result.staleReads > 0)
        #expect(report.verdict == .notLinearizable)
        // Healthy, the same reads are rarely stale but the checker still sees a follower lag now and then.
        let (healthy, _) = try Self.run(.follower, operations: 3_000)
        #expect(healthy.staleReads < result.staleReads)
    }

    /// Node 0 ends up leading (nodes 1 and 2 take turns being down; node 1 restarts with an empty log) and is then cut off.
    @Test func leaseReadsAreLinearizableWithinTheDriftBound() throws {
        let (result, report) = try Self.run(.lease, operations: 5_000, partitions: Self.isolateNode0, crashes: Self.crashes,
                                            drifts: [-0.005, 0.005, 0.005, 0, 0])
        #expect(report.verdict == .linearizable, "\(report.violations.prefix(3))")
        #expect(result.staleReads == 0)
    }

    /// The same run with node 0's clock 60 % slow and the others 50 % fast (bound: 1 %):
    /// the cut-off leader keeps serving reads from its lease after the others elected a new leader.
    @Test func leaseReadsBreakWhenDriftExceedsTheBound() throws {
        let (result, report) = try Self.run(.lease, operations: 5_000, partitions: Self.isolateNode0, crashes: Self.crashes,
                                            drifts: [-0.6, 0.5, 0.5, 0, 0])
        #expect(result.staleReads > 0)
        #expect(report.verdict == .notLinearizable)
    }
}
