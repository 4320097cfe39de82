import Engines
import Foundation
import Lab
import Stats
import Workload

/// `engine-pacelc`: the PACELC "else" trade-off measured on real engines
/// (ENGINES.md): etcd with linearizable or serializable reads, its client at
/// the leader or a follower, and Redis reading from the primary or a replica
/// with plain, `WAIT 1` or `WAIT 2` writes — against a one-way peer (etcd)
/// or replication (Redis) delay injected by CAPLab's delay proxy. Same
/// latency and stale-read columns as `pacelc`, plus a read-after-write probe
/// and the proxy's own overhead measured in the same run.
enum EnginePACELC {
    static let name = "engine-pacelc"

    static func delays(_ scale: Scale) -> [Double] { scale == .quick ? [0, 5, 20] : [0, 1, 2, 5, 10, 20, 50] }
    static func etcdSizes(_ scale: Scale) -> [Int] { scale == .full ? [3, 5] : [3] }
    static func seconds(_ scale: Scale) -> Double { scale == .quick ? 2 : scale == .standard ? 4 : 10 }
    static func probes(_ scale: Scale) -> Int { scale == .quick ? 40 : 60 }
    static let etcdModes: [(read: String, at: String)] = [("linearizable", "leader"), ("linearizable", "follower"), ("serializable", "leader"), ("serializable", "follower")]
    static let redisModes: [(read: String, wait: Int)] = [("primary", 0), ("replica", 0), ("replica", 1), ("replica", 2)]
    static let rate = 50.0

    static let columns = Columns(
        Column("engine", "etcd or redis"), Column("n", "members"),
        Column("read_mode", "etcd: linearizable or serializable; redis: primary or replica"),
        Column("client_at", "etcd: leader or follower; redis: primary (writes)"),
        Column("write_mode", "etcd: put; redis: plain, wait-1, wait-2"),
        Column("delay_ms", "injected one-way delay per peer/replication link"),
        Column("operations", "operations issued"),
        Column("read_p50_ms", "median read latency from intended start"), Column("read_p99_ms", "p99 read latency"),
        Column("read_p999_ms", "p99.9 read latency"), Column("read_max_ms", "slowest read"),
        Column("write_p50_ms", "median write latency"), Column("write_p99_ms", "p99 write latency"),
        Column("write_p999_ms", "p99.9 write latency"), Column("write_max_ms", "slowest write"),
        Column("throughput_ops_s", "successful operations per second"),
        Column("stale_fraction", "successful reads that missed a write acknowledged before they began (the simulator's judge)"),
        Column("probe_stale_fraction", "reads issued right after an acknowledged write (etcd: put at the leader; redis: SET at the primary) that returned an older value"),
        Column("failed_fraction", "operations that failed or were indeterminate"),
        Column("indeterminate", "operations with unknown outcome (:info)"),
        Column("linearizable", "the lab's checker on the history: linearizable, not linearizable or unknown"),
        Column("delta_max_ms", "largest over keys of the smallest Δ for which the key is Δ-atomic (reads' starts moved Δ earlier; Golab, Li & Shah 2011): 0 when linearizable, empty when no key could be measured"),
        Column("versions_behind_max", "most writes certainly newer than the value a read returned, over all reads (≥ 2: not 2-atomic)"),
        Column("proxy_overhead_p50_us", "the delay proxy's own pass-through overhead on loopback, median (same run)"),
        Column("proxy_overhead_p99_us", "the proxy's overhead at p99 (same run)"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "real etcd and Redis: read/write latency and stale reads against injected one-way peer delay (needs root for namespaces; etcd-server, redis-server)",
        parameters: [
            Parameter("engine", "etcd (Raft) or redis (primary + 2 asynchronous replicas)") { _ in ["etcd", "redis"] },
            Parameter("n", "etcd members (redis: 3 nodes)") { etcdSizes($0).map(String.init) },
            Parameter("delay_ms", "one-way delay on every peer (etcd) or replication (redis) link") { delays($0).map { Cell.fixed($0, 1) } },
            Parameter("mode", "etcd: read linearizable|serializable at leader|follower; redis: read primary|replica, write plain|WAIT 1|WAIT 2") { _ in
                etcdModes.map { "\($0.read)@\($0.at)" } + redisModes.map { "\($0.read)/wait-\($0.wait)" }
            },
            Parameter("seconds", "open-loop workload per point (50 ops/s Poisson, 50 % writes, latest keys)") { [Cell.fixed(seconds($0), 0)] },
        ],
        columns: columns,
        summaryColumns: ["engine", "read_mode", "client_at", "write_mode", "delay_ms", "read_p50_ms", "write_p50_ms", "stale_fraction", "probe_stale_fraction", "linearizable"],
        steps: { scale in delays(scale).count * (etcdSizes(scale).count * etcdModes.count + redisModes.count) },
        run: run)

    static func workload(_ context: RunContext, clients: Int, point: Int) -> WorkloadDriver.Configuration {
        let s = seconds(context.scale)
        var rng = context.rng("\(name)/\(point)")
        var w = WorkloadDriver.Configuration(ratePerSecond: rate, writeFraction: 0.5, keys: KeyDistribution(.latest, keyCount: 100),
                                             clients: clients, operations: Int(rate * s * 2), maxSeconds: s, seed: rng.next())
        w.keyOffset = UInt64(point) * 1_000_000
        return w
    }

    static func row(_ engine: String, _ n: Int, _ read: String, _ at: String, _ write: String, _ delay: Double, _ p: EnginePoint,
                    _ overhead: LoopbackProbe.Figures) -> Row {
        let r = p.run.reads, w = p.run.writes
        func ms(_ ns: UInt64) -> String { Cell.fixed(Double(ns) / 1e6, 3) }
        let failed = p.run.issued > 0 ? Double(p.run.failed + p.run.indeterminate) / Double(p.run.issued) : 0
        return columns.row(engine, String(n), read, at, write, Cell.fixed(delay, 1), String(p.run.issued),
                ms(r.value(atPercentile: 50)), ms(r.value(atPercentile: 99)), ms(r.value(atPercentile: 99.9)), ms(r.max),
                ms(w.value(atPercentile: 50)), ms(w.value(atPercentile: 99)), ms(w.value(atPercentile: 99.9)), ms(w.max),
                Cell.fixed(p.run.throughput, 1), Cell.fixed(p.verdict.result.staleFraction, 4), Cell.fixed(p.probeStaleFraction, 4),
                Cell.fixed(failed, 4), String(p.run.indeterminate), p.linearizability,
                p.deltaMaxMilliseconds.map { Cell.fixed($0, 3) } ?? "", String(p.versionsBehindMax),
                Cell.fixed(overhead.proxyOverheadP50Us, 1), Cell.fixed(overhead.proxyOverheadP99Us, 1))
    }

    static func run(_ context: RunContext) throws -> [Row] {
        if let reason = EngineAvailability.missing(needsNamespaces: false) {
            FileHandle.standardError.write(Data("caplab: engine-pacelc skipped: \(reason)\n".utf8))
            return []
        }
        EngineSignals.install()
        defer { Teardown.shared.run() }
        let overhead = try LoopbackProbe.measure(count: 3_000)
        var rows: [Row] = []
        var point = 0
        for n in etcdSizes(context.scale) {
            let cluster = try EtcdCluster(members: n)
            guard let leader = cluster.leaderIndex() else { throw EngineError("etcd: no leader after start-up") }
            let follower = (leader + 1) % n
            for delay in delays(context.scale) {
                cluster.setPeerDelay(milliseconds: delay)
                try cluster.waitForLeader(timeout: 15)
                for mode in etcdModes {
                    point += 1
                    // A leader change under delay moves "leader" and "follower": ask again.
                    let now = cluster.leaderIndex() ?? leader
                    let member = mode.at == "leader" ? now : (now == follower ? (follower + 1) % n : follower)
                    let p = EngineRuns.etcd(cluster, member: member, serializable: mode.read == "serializable",
                                            workload: workload(context, clients: 16, point: point), valueBase: Int64(point) * 10_000_000,
                                            probes: probes(context.scale), probeWriter: now, timeoutSeconds: 3)
                    rows.append(row("etcd", n, mode.read, mode.at, "put", delay, p, overhead))
                    context.progress.advance("etcd N=\(n) d=\(delay) ms \(mode.read)@\(mode.at)")
                }
            }
            Teardown.shared.run()
        }
        let redis = try RedisCluster(replicas: 2)
        for delay in delays(context.scale) {
            redis.setReplicationDelay(milliseconds: delay)
            for mode in redisModes {
                point += 1
                let p = EngineRuns.redis(redis, readFrom: mode.read == "primary" ? 0 : 1, waitReplicas: mode.wait,
                                         workload: workload(context, clients: 4, point: point), valueBase: Int64(point) * 10_000_000,
                                         probes: probes(context.scale), timeoutSeconds: 3)
                rows.append(row("redis", 3, mode.read, "primary", mode.wait == 0 ? "plain" : "wait-\(mode.wait)", delay, p, overhead))
                context.progress.advance("redis d=\(delay) ms \(mode.read) wait \(mode.wait)")
            }
        }
        return rows
    }
}
