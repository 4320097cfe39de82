import Lab
import Quorum
import Simulation
import Stats
import Workload

/// Shared set-up for the simulated Raft experiments (`raft-pacelc`,
/// `raft-failover`, the Raft rows of `pacelc`): timing scaled to the
/// network's one-way delay, a warm-up that excludes the first election,
/// and latency and failure counts from the recorded operations.
enum RaftRuns {
    /// Heartbeat and base election timeout for a one-way delay of `oneWayMs`:
    /// the scenario defaults (50 ms, 150 ms) on a LAN; on slower links a
    /// heartbeat of two round trips and an election timeout of three
    /// heartbeats, so an election completes within one timeout
    /// (etcd's tuning guide asks for an election timeout ≥ 10 × RTT and a heartbeat ≈ RTT).
    static func timing(oneWayMs: Double) -> (heartbeat: Int64, election: Int64) {
        let heartbeatMs = max(50, 4 * oneWayMs)
        return (Int64(heartbeatMs * 1e6), Int64(3 * heartbeatMs * 1e6))
    }

    /// A client request fails after this long: at least 1 s, and 30 one-way delays on slow links.
    static func requestTimeout(oneWayMs: Double) -> Int64 { Int64(max(1_000, 30 * oneWayMs) * 1e6) }

    /// Operations issued before this time (ns) are left out of latency figures:
    /// the first election (≤ 2T) and a few round trips to settle.
    static func warmup(election: Int64, oneWayMs: Double) -> Int64 { 2 * election + Int64((20 * oneWayMs + 50) * 1e6) }

    static func configuration(n: Int, mode: RaftConfiguration.ReadMode, oneWayMs: Double,
                              preVote: Bool = false, checkQuorum: Bool = false) -> QuorumConfiguration {
        let t = timing(oneWayMs: oneWayMs)
        var q = QuorumConfiguration(n: n, r: 1, w: 1, timeoutNanoseconds: requestTimeout(oneWayMs: oneWayMs))
        q.raft = RaftConfiguration(readMode: mode, preVote: preVote, checkQuorum: checkQuorum,
                                   electionTimeoutNanoseconds: t.election, heartbeatIntervalNanoseconds: t.heartbeat)
        return q
    }

    /// A delay's effective one-way scale for a latency preset: the mean write leg plus any cross-datacenter delay.
    static func oneWayMs(_ model: LatencyModel) -> Double { model.write.mean + (model.remoteDelayMs ?? 0) }

    /// What one run measured after its warm-up.
    struct Measured {
        var reads = LatencyHistogram()
        var writes = LatencyHistogram()
        var operations = 0
        var failed = 0
        let result: SimulationResult

        var failedFraction: Double { operations > 0 ? Double(failed) / Double(operations) : 0 }
        func ms(_ h: LatencyHistogram, _ p: Double) -> String { h.count > 0 ? Cell.fixed(Double(h.value(atPercentile: p)) / 1e6, 3) : "" }
    }

    /// One open-loop run (YCSB-A shape: 50 % writes, zipfian keys; 1000 ops/s unless
    /// `ratePerSecond` says otherwise) of a Raft group on `nodeCount` nodes,
    /// `operations` of them after the warm-up; latencies of operations issued after it.
    static func run(quorum: QuorumConfiguration, network: NetworkModel, nodeCount: Int, oneWayMs: Double,
                    operations: Int, ratePerSecond: Double = 1_000, rng: inout Xoshiro256StarStar) -> Measured {
        let warm = warmup(election: quorum.raft.electionTimeoutNanoseconds, oneWayMs: oneWayMs)
        var setup = QuorumSimulation.Setup(nodeCount: nodeCount, quorum: quorum, network: network, replication: .raft)
        setup.recordsHistory = true
        let driver = QuorumRuns.workload(operations: operations + Int(Double(warm) / 1e9 * ratePerSecond), ratePerSecond: ratePerSecond, rng: &rng)
        let result = QuorumSimulation(setup).run(driver, seed: rng.next())
        var m = Measured(result: result)
        for r in result.records where r.intended >= warm {
            m.operations += 1
            if r.timedOut || r.completed < 0 { m.failed += 1; continue }
            let latency = UInt64(max(0, r.completed - r.intended))
            if r.isWrite { m.writes.record(nanoseconds: latency) } else { m.reads.record(nanoseconds: latency) }
        }
        return m
    }
}
