import Lab
import Quorum
import Simulation
import Stats

/// `raft-failover`: how long a Raft group cannot commit a write after its
/// leader crashes or is cut off from the others, against the election
/// timeout, with and without etcd's PreVote and CheckQuorum (simulated,
/// 1000 ops/s, 50 % writes, 0.5 ms one-way delay, no proxies).
///
/// The leader at the fault time is found by running the same seed without
/// the fault (the runs are identical until then) and reading the leader
/// off the version of the last write committed before it (a Raft write's
/// version names the leader that appended it). The unavailability window
/// is the longest gap between successive successful write completions from
/// the last one before the fault on; the same measure on the fault-free run
/// is the floor it should be read against.
enum RaftFailover {
    static let name = "raft-failover"
    static let faults = ["crash", "isolate"]
    static let options: [(label: String, preVote: Bool, checkQuorum: Bool)] = [
        ("none", false, false), ("pre_vote", true, false), ("check_quorum", false, true), ("both", true, true),
    ]
    static let oneWayMs = 0.5

    static func timeoutsMs(_ scale: Scale) -> [Int] { scale == .quick ? [150] : scale == .standard ? [50, 150, 500] : [50, 150, 500, 1_000] }
    static func ns(_ scale: Scale) -> [Int] { scale == .quick ? [3] : [3, 5] }
    static func optionSet(_ scale: Scale) -> [(label: String, preVote: Bool, checkQuorum: Bool)] {
        scale == .quick ? [options[0], options[3]] : options
    }

    static let columns = Columns(
        Column("fault", "crash (the leader stops for good) or isolate (the leader is cut off from every other node for 6 T)"),
        Column("n", "Raft group size"),
        Column("options", "none, pre_vote, check_quorum or both"),
        Column("election_timeout_ms", "base election timeout T (waits uniform in [T, 2T)); heartbeat T / 10"),
        Column("fault_at_ms", "when the fault starts (4 T + 100 ms, after the first election)"),
        Column("leader", "the node that led at the fault (from the fault-free run)"),
        Column("unavailable_ms", "longest time with no successful write completion, from the last one before the fault"),
        Column("unavailable_over_t", "unavailable_ms / T"),
        Column("healthy_gap_ms", "the same measure over the same span of the fault-free run (the floor)"),
        Column("writes_in_window", "writes issued in the unavailability window (from the fault to its end)"),
        Column("indeterminate_writes", "of those, writes that timed out: the client cannot know whether they committed"),
        Column("reads_in_window", "reads issued in the window"),
        Column("failed_reads", "of those, reads that timed out"),
        Column("indeterminate_after", "writes issued from the fault to the end of the run that timed out (clients keep choosing the failed member, 1/N of requests)"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "Raft leader crash and isolation: time with no successful write against election timeout, with and without PreVote/CheckQuorum (simulated)",
        parameters: [
            Parameter("fault", "leader crash or leader isolation") { _ in faults },
            Parameter("n", "group size") { ns($0).map(String.init) },
            Parameter("election_timeout_ms", "base election timeout T") { timeoutsMs($0).map(String.init) },
            Parameter("options", "PreVote / CheckQuorum") { optionSet($0).map(\.label) },
        ],
        columns: columns,
        summaryColumns: ["fault", "n", "options", "election_timeout_ms", "unavailable_ms", "unavailable_over_t", "healthy_gap_ms", "indeterminate_writes", "failed_reads"],
        steps: { scale in faults.count * ns(scale).count * timeoutsMs(scale).count * optionSet(scale).count },
        run: run)

    /// Longest gap between successive successful write completions at or after the last one before `from`.
    static func longestGap(_ records: [OperationRecord], from: Int64, until: Int64) -> Int64 {
        let done = records.filter { $0.isWrite && !$0.timedOut && $0.completed >= 0 }.map(\.completed).sorted()
        var previous = done.last { $0 < from } ?? from
        var gap: Int64 = 0
        for t in done where t >= from && t <= until {
            gap = max(gap, t - previous)
            previous = t
        }
        return max(gap, until - previous)
    }

    /// Operations for an open-loop run at `ratePerSecond` whose gaps are measured up to `end` (ns):
    /// the expected count plus ten standard deviations of the Poisson count (and 100), so the
    /// arrivals outlast `end`. With the expected count alone, half the runs stopped issuing
    /// before `end`, and ``longestGap(_:from:until:)`` read the silence after the last arrival
    /// as a stall (up to ~140 ms in fault-free runs).
    static func arrivals(covering end: Int64, ratePerSecond: Double = 1_000) -> Int {
        let expected = Double(end) / 1e9 * ratePerSecond
        return Int((expected + 10 * expected.squareRoot() + 100).rounded(.up))
    }

    static func run(_ context: RunContext) throws -> [Row] {
        var rows: [Row] = []
        for fault in faults {
            for n in ns(context.scale) {
                for t in timeoutsMs(context.scale) {
                    for o in optionSet(context.scale) {
                        let label = "\(name)/\(fault)/\(n)/\(t)/\(o.label)"
                        let tNs = Int64(t) * 1_000_000
                        var quorum = QuorumConfiguration(n: n, r: 1, w: 1, timeoutNanoseconds: max(1_000_000_000, 4 * tNs))
                        quorum.raft = RaftConfiguration(readMode: .readIndex, preVote: o.preVote, checkQuorum: o.checkQuorum,
                                                        electionTimeoutNanoseconds: tNs, heartbeatIntervalNanoseconds: max(1_000_000, tNs / 10))
                        let faultAt = 4 * tNs + 100_000_000
                        let end = faultAt + 8 * tNs + 500_000_000
                        let operations = arrivals(covering: end)
                        func simulate(_ network: NetworkModel) -> SimulationResult {
                            var rng = context.rng(label)
                            var setup = QuorumSimulation.Setup(nodeCount: n, quorum: quorum, network: network, replication: .raft)
                            setup.recordsHistory = true
                            let driver = QuorumRuns.workload(operations: operations, rng: &rng)
                            return QuorumSimulation(setup).run(driver, seed: rng.next())
                        }
                        let healthy = simulate(NetworkModel(delay: LatencyDistribution(.constant(oneWayMs)), nodeCount: n))
                        let before = healthy.records.filter { $0.isWrite && !$0.timedOut && $0.completed >= 0 && $0.completed < faultAt }
                        guard let leader = before.max(by: { $0.completed < $1.completed })?.version?.lwwVersion?.coordinator else {
                            throw LabError.experimentFailed(name, "\(label): no write committed before the fault at \(faultAt / 1_000_000) ms")
                        }
                        var network = NetworkModel(delay: LatencyDistribution(.constant(oneWayMs)), nodeCount: n)
                        if fault == "crash" {
                            network.crashes = [NetworkModel.Crash(node: leader, startNanoseconds: faultAt, endNanoseconds: .max)]
                        } else {
                            network.partitions = [NetworkModel.Partition(startNanoseconds: faultAt, endNanoseconds: faultAt + 6 * tNs, isolated: [leader])]
                        }
                        let faulty = simulate(network)
                        let window = longestGap(faulty.records, from: faultAt, until: end)
                        let floor = longestGap(healthy.records, from: faultAt, until: end)
                        let inWindow = faulty.records.filter { $0.intended >= faultAt && $0.intended < faultAt + window }
                        let writes = inWindow.filter { $0.isWrite }
                        let reads = inWindow.filter { !$0.isWrite }
                        let indeterminate = writes.filter { $0.timedOut || $0.completed < 0 }.count
                        let failedReads = reads.filter { $0.timedOut || $0.completed < 0 }.count
                        let indeterminateAfter = faulty.records.filter { $0.isWrite && $0.intended >= faultAt && ($0.timedOut || $0.completed < 0) }.count
                        rows.append(columns.row(
                            fault, String(n), o.label, String(t), String(faultAt / 1_000_000), String(leader),
                            Cell.fixed(Double(window) / 1e6, 3), Cell.fixed(Double(window) / Double(tNs), 3),
                            Cell.fixed(Double(floor) / 1e6, 3),
                            String(writes.count), String(indeterminate), String(reads.count), String(failedReads), String(indeterminateAfter)))
                        context.progress.advance("\(fault) N=\(n) T=\(t) ms \(o.label)")
                    }
                }
            }
        }
        return rows
    }
}
