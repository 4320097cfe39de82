import Engines
import Foundation
import Lab
import Stats

/// `engine-partition`: the CAP picture on real engines. etcd (N = 3) with its
/// leader isolated from the majority: the majority elects, the old leader's
/// serializable reads go stale, its linearizable reads and writes fail or
/// hang. Redis with Sentinel, the primary isolated while its clients keep
/// writing to it: Sentinel promotes a replica, the old primary rejoins as a
/// replica and drops what it acknowledged meanwhile — with plain writes and
/// with `WAIT 1`. Per group of clients: failed, indeterminate and stale
/// operations in the partition, lost acknowledged writes after heal, the
/// longest stretch without a successful operation, the checker's verdict.
enum EnginePartition {
    static let name = "engine-partition"

    static func timing(_ scale: Scale) -> PartitionScenarios.Timing {
        scale == .quick ? .init(before: 2, partition: 6, after: 3) : .init(before: 3, partition: 10, after: 5)
    }

    static let columns = Columns(
        Column("engine", "etcd or redis"), Column("scenario", "what was isolated"), Column("write_mode", "put, plain or wait-1"),
        Column("group", "which clients: at the old leader (serializable or linearizable reads), at the majority, at the old primary"),
        Column("partition_s", "partition length as applied"),
        Column("operations", "operations this group issued"),
        Column("in_partition", "operations invoked during the partition"),
        Column("failed_fraction_in_partition", "of those, failed or indeterminate"),
        Column("indeterminate_in_partition", "of those, indeterminate (:info: timed out, outcome unknown)"),
        Column("stale_fraction_in_partition", "successful reads in the partition that missed an acknowledged write"),
        Column("acknowledged_writes", "writes acknowledged to this group"),
        Column("lost_writes", "acknowledged writes the final state (read after heal) does not reflect"),
        Column("unavailable_s", "longest stretch from the partition's start to heal + 3 s without a successful operation"),
        Column("linearizable", "the lab's checker on the whole history, final reads after heal included"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "real etcd and Redis under a partition: failed, indeterminate, stale and lost operations and the unavailability window (needs root)",
        parameters: [
            Parameter("scenario", "etcd leader isolated (N=3); redis primary isolated with Sentinel, plain or WAIT 1 writes") { _ in
                ["etcd/leader-isolated", "redis/primary-isolated/plain", "redis/primary-isolated/wait-1"]
            },
            Parameter("partition_s", "how long the partition lasts") { [Cell.fixed(timing($0).partition, 0)] },
        ],
        columns: columns,
        summaryColumns: ["scenario", "write_mode", "group", "failed_fraction_in_partition", "stale_fraction_in_partition", "lost_writes", "unavailable_s", "linearizable"],
        steps: { _ in 3 },
        run: run)

    static func rows(_ engine: String, _ scenario: String, _ write: String, _ o: PartitionScenarios.Outcome) -> [Row] {
        o.groups.map { g in
            let v = g.verdict, r = v.result
            return columns.row(engine, scenario, write, g.name, Cell.fixed(o.partitionSeconds, 2), String(r.readsIssued + r.writesIssued),
                    String(r.issuedInPartition), Cell.fixed(r.failedFractionInPartition, 4), String(v.indeterminateInWindow),
                    Cell.fixed(r.staleFractionInPartition, 4), String(v.acknowledgedWrites), String(v.lostWrites),
                    Cell.fixed(g.unavailableSeconds, 2), o.linearizability)
        }
    }

    static func run(_ context: RunContext) throws -> [Row] {
        EngineSignals.install()
        defer { Teardown.shared.run() }
        if let reason = EngineAvailability.missing(needsNamespaces: true) {
            FileHandle.standardError.write(Data("caplab: engine-partition skipped: \(reason)\n".utf8))
            return []
        }
        var rows: [Row] = []
        let t = timing(context.scale)
        var rng = context.rng(name)
        let etcd = try EtcdCluster(members: 3)
        let e = try PartitionScenarios.etcdLeaderIsolated(etcd, timing: t, ratePerSecond: 40, seed: rng.next())
        rows += self.rows("etcd", "leader-isolated", "put", e)
        try save(e, "etcd-leader-isolated", context)
        context.progress.advance("etcd leader isolated")
        Teardown.shared.run()
        for wait in [0, 1] {
            let redis = try RedisCluster(replicas: 2, sentinels: true, replicationProxies: false)
            let o = try PartitionScenarios.redisPrimaryIsolated(redis, timing: t, ratePerSecond: 40, waitReplicas: wait, seed: rng.next(),
                                                               valueBase: Int64(wait + 1) * 10_000_000, keyOffset: UInt64(wait) * 1_000)
            let mode = wait == 0 ? "plain" : "wait-\(wait)"
            rows += self.rows("redis", "primary-isolated", mode, o)
            try save(o, "redis-primary-isolated-\(mode)", context)
            context.progress.advance("redis primary isolated, \(mode)")
            Teardown.shared.run()
        }
        return rows
    }

    /// The history beside the CSV (`caplab check` reads it).
    static func save(_ o: PartitionScenarios.Outcome, _ label: String, _ context: RunContext) throws {
        guard let dir = context.outputDirectory else { return }
        let url = dir.appendingPathComponent("\(name)-\(label).edn")
        try AtomicFile.write(o.edn, to: url)
    }
}
