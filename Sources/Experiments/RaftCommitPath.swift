import Foundation
import Lab
import Quorum
import Simulation
import Stats
import Threaded
import Workload

/// `raft-commit-path`: Raft write (commit) latency and throughput on the
/// threaded runtime (real threads, real clock, real files) by where the
/// log lives — `memory`, or `RaftLog.DurableLog` with policy `none`,
/// `fsync` or `group` — against offered load and the most entries one
/// AppendEntries may carry, reported as multiples of one `fdatasync` in the
/// same directory measured in the same run. This is where the WAL
/// micro-benchmarks (`raftlog-append`, `raftlog-group-commit`) meet the
/// consensus path: a committed write waits for the leader's append and a
/// follower's append to reach the disk (Ongaro & Ousterhout 2014, §5.3).
enum RaftCommitPath {
    static let name = "raft-commit-path"
    static let n = 3
    static let oneWayMs = 0.1

    static func durabilities(_ scale: Scale) -> [RaftConfiguration.Durability] { RaftConfiguration.Durability.allCases }
    static func rates(_ scale: Scale) -> [Double] { scale == .quick ? [1_000] : scale == .standard ? [250, 1_000] : [250, 1_000, 4_000] }
    static func batches(_ scale: Scale) -> [Int] { scale == .quick ? [64] : [1, 64] }
    /// Measured seconds of load per run, after the warm-up.
    static func seconds(_ scale: Scale) -> Double {
        switch scale {
        case .quick: return 0.5
        case .standard: return 2
        case .full: return 10
        }
    }
    static let electionTimeout: Int64 = 100_000_000
    /// The first election (≤ 2 T) and a margin; writes issued before are not measured.
    static let warmup: Int64 = 2 * electionTimeout + 100_000_000

    static let columns = Columns(
        Column("durability", "memory (InMemoryLog), or DurableLog with policy none (no sync), fsync (sync per append) or group (appenders share a sync)"),
        Column("offered_ops_s", "open-loop write arrival rate"),
        Column("max_entries_per_append", "most log entries one AppendEntries carries (1: no batching)"),
        Column("writes", "writes issued after the warm-up (measured)"),
        Column("failed", "measured writes that timed out (1 s)"),
        Column("commit_p50_ms", "median write latency, client request to answer (a random member; followers forward to the leader)"),
        Column("commit_p99_ms", "p99 write latency"),
        Column("throughput_ops_s", "measured writes completed per second of their arrival span"),
        Column("fdatasync_us", "the floor: fastest of the 64-byte pwrite + fdatasync probes in the same directory, spread over the run (a durable commit syncs at least once, so cannot beat it)"),
        Column("commit_p50_x_sync", "commit_p50_ms / fdatasync floor: how many syncs' time a commit takes (≥ 1 for fsync and group)"),
        Column("throughput_x_limit", "throughput_ops_s × fdatasync: commits per sync time; above 1 only by sharing syncs"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "Raft commit latency and throughput on threads by log durability, offered load and AppendEntries batch, × fdatasync measured in the same run",
        parameters: [
            Parameter("durability", "where the log lives") { durabilities($0).map(\.rawValue) },
            Parameter("offered_ops_s", "open-loop write rate") { rates($0).map { Cell.fixed($0, 0) } },
            Parameter("max_entries_per_append", "AppendEntries batch limit") { batches($0).map(String.init) },
            Parameter("seconds", "measured seconds per run (N = 3, 0.1 ms one-way delay, 2 replica + 2 client threads)") { [Cell.fixed(seconds($0), 1)] },
        ],
        columns: columns,
        summaryColumns: ["durability", "offered_ops_s", "max_entries_per_append", "commit_p50_ms", "commit_p99_ms", "throughput_ops_s", "commit_p50_x_sync", "throughput_x_limit"],
        steps: { scale in durabilities(scale).count * rates(scale).count * batches(scale).count + 1 },
        run: run)

    static func run(_ context: RunContext) throws -> [Row] {
        let scratch = try RaftLogLimits.scratchDirectory(context, name)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var probes = try RaftLogLimits.fdatasyncNanoseconds(in: scratch, count: 100)
        context.progress.advance("limit: fdatasync median \(Cell.fixed(Summary(probes).median / 1000, 1)) µs so far")
        var measured: [(durability: RaftConfiguration.Durability, rate: Double, batch: Int, writes: Int, failed: Int,
                        latency: LatencyHistogram, throughput: Double)] = []
        var run = 0
        for rate in rates(context.scale) {
            for batch in batches(context.scale) {
                for durability in durabilities(context.scale) {
                    var rng = context.rng("\(name)/\(durability.rawValue)/\(rate)/\(batch)")
                    var quorum = QuorumConfiguration(n: n, r: 1, w: 1, timeoutNanoseconds: 1_000_000_000)
                    let directory = scratch.appendingPathComponent("run-\(run)")
                    run += 1
                    quorum.raft = RaftConfiguration(readMode: .readIndex, electionTimeoutNanoseconds: electionTimeout,
                                                    heartbeatIntervalNanoseconds: electionTimeout / 10, durability: durability,
                                                    logDirectory: durability == .memory ? nil : directory.path, maxEntriesPerAppend: batch)
                    let operations = Int(rate * (seconds(context.scale) + Double(warmup) / 1e9))
                    let stream = OperationStream(ratePerSecond: rate, writeFraction: 1, keys: KeyDistribution(.zipfian(theta: 0.99), keyCount: 1_000),
                                                 clients: 16, rng: rng.split())
                    let result = ThreadedCluster(.init(nodeCount: n, quorum: quorum, network: NetworkModel(delay: LatencyDistribution(.constant(oneWayMs)), nodeCount: n),
                                                       replication: .raft, replicaThreads: 2, clientThreads: 2))
                        .run(stream, operations: operations, seed: rng.next())
                    try? FileManager.default.removeItem(at: directory)
                    var latency = LatencyHistogram()
                    var writes = 0, failed = 0
                    var first = Int64.max, last = Int64.min
                    for r in result.records where r.isWrite && r.intended >= warmup {
                        writes += 1
                        first = min(first, r.intended)
                        last = max(last, r.intended)
                        if r.timedOut || r.completed < 0 { failed += 1; continue }
                        latency.record(nanoseconds: UInt64(max(0, r.completed - r.intended)))
                    }
                    let span = Double(max(1, last - first)) / 1e9
                    measured.append((durability, rate, batch, writes, failed, latency, Double(writes - failed) / span))
                    probes += try RaftLogLimits.fdatasyncNanoseconds(in: scratch, count: 10)
                    context.progress.advance("\(durability.rawValue) \(Int(rate)) ops/s batch \(batch)")
                }
            }
        }
        // The limit is a floor (issue #18): the fastest probe, so a commit that syncs cannot read below 1.
        let sync = RaftLogLimits.floor(probes)
        return measured.map { m in
            let p50 = m.latency.count > 0 ? Double(m.latency.value(atPercentile: 50)) : 0
            let p99 = m.latency.count > 0 ? Double(m.latency.value(atPercentile: 99)) : 0
            return columns.row(
                m.durability.rawValue, Cell.fixed(m.rate, 0), String(m.batch), String(m.writes), String(m.failed),
                m.latency.count > 0 ? Cell.fixed(p50 / 1e6, 3) : "", m.latency.count > 0 ? Cell.fixed(p99 / 1e6, 3) : "",
                Cell.fixed(m.throughput, 0), Cell.fixed(sync / 1000, 1),
                m.latency.count > 0 ? Cell.fixed(p50 / sync, 2) : "", Cell.fixed(m.throughput * sync / 1e9, 3))
        }
    }
}
