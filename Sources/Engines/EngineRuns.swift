import Consistency
import Foundation
import Stats
import Workload

/// One measured configuration of a real engine: the workload's latencies,
/// the judge's verdict, the checker's verdict and a read-after-write probe.
public struct EnginePoint: Sendable {
    public var run: WorkloadDriver.Result
    public var verdict: EngineJudge.Verdict
    public var linearizability: String
    /// Fraction of probes (write, then at once a read of the same key by the same client) that read an older value.
    public var probeStaleFraction: Double
    public var probes: Int
    /// The largest smallest-Δ over keys (``StalenessReport``), ms; nil when none was measured.
    public var deltaMaxMilliseconds: Double? = nil
    /// Most versions behind of any read (``VersionsBehind``).
    public var versionsBehindMax = 0
}

/// Measurement points against running clusters (the experiments and
/// `caplab engine run` call these).
public enum EngineRuns {
    /// Read-after-write probes on a key outside the workload's: how often the read misses the write just acknowledged.
    static func probe(count: Int, key: UInt64, base: Int64, write: (Int64) throws -> Void, read: () throws -> Int64?) -> Double {
        var stale = 0, done = 0
        for i in 0..<count {
            let value = base + Int64(i) + 1
            let seen: Int64?
            do {
                try write(value)
                seen = try read()  // nil: the key is absent there, a stale read
            } catch { continue }
            done += 1
            if seen != value { stale += 1 }
        }
        return done > 0 ? Double(stale) / Double(done) : 0
    }

    static func point<S: EngineSession>(_ workload: WorkloadDriver.Configuration, sessions: [S], valueBase: Int64,
                                        probeStale: Double, probes: Int) -> EnginePoint {
        let run = WorkloadDriver.run(workload, sessions: sessions, valueBase: valueBase)
        let verdict = EngineJudge.judge(run.records)
        let report = EngineJudge.linearizability(run.records)
        let staleness = try? StalenessReport(EngineJudge.history(run.records))
        return EnginePoint(run: run, verdict: verdict, linearizability: report.verdict.rawValue, probeStaleFraction: probeStale, probes: probes,
                           deltaMaxMilliseconds: staleness?.maxDeltaMilliseconds, versionsBehindMax: staleness?.maxVersionsBehind ?? 0)
    }

    /// etcd: every client thread talks to `member`; reads linearizable or serializable. The probe writes
    /// through `writer` (another client, e.g. at the leader) and reads at `member`: a put at a follower
    /// returns only once that follower has applied it, so a same-member probe would never be stale.
    public static func etcd(_ cluster: EtcdCluster, member: Int, serializable: Bool, workload: WorkloadDriver.Configuration,
                            valueBase: Int64, probes: Int, probeWriter: Int? = nil, timeoutSeconds: Double = 2) -> EnginePoint {
        let prober = cluster.client(at: member, timeoutSeconds: timeoutSeconds)
        let writer = cluster.client(at: probeWriter ?? member, timeoutSeconds: timeoutSeconds)
        let probeKey = workload.keyOffset &+ 999_999
        let stale = probe(count: probes, key: probeKey, base: valueBase + 9_000_000,
                          write: { _ = try writer.put(key: probeKey, value: $0) },
                          read: { try prober.get(key: probeKey, serializable: serializable).value })
        let sessions = (0..<workload.clients).map { _ in EtcdSession(client: cluster.client(at: member, timeoutSeconds: timeoutSeconds), serializable: serializable) }
        return point(workload, sessions: sessions, valueBase: valueBase, probeStale: stale, probes: probes)
    }

    /// Redis: writes to the primary (node 0), then `WAIT waitReplicas` when > 0; reads from `readFrom`.
    public static func redis(_ cluster: RedisCluster, readFrom: Int, waitReplicas: Int, workload: WorkloadDriver.Configuration,
                             valueBase: Int64, probes: Int, timeoutSeconds: Double = 2) -> EnginePoint {
        let writer = cluster.client(at: 0, timeoutSeconds: timeoutSeconds), reader = cluster.client(at: readFrom, timeoutSeconds: timeoutSeconds)
        let probeKey = workload.keyOffset &+ 999_999
        let stale = probe(count: probes, key: probeKey, base: valueBase + 9_000_000,
                          write: { v in
                              try writer.set(key: probeKey, value: v)
                              if waitReplicas > 0 { _ = try writer.wait(replicas: waitReplicas, timeoutMilliseconds: 1_000) }
                          },
                          read: { try reader.get(key: probeKey) })
        let sessions = (0..<workload.clients).map { _ in
            RedisSession(writer: cluster.client(at: 0, timeoutSeconds: timeoutSeconds), reader: cluster.client(at: readFrom, timeoutSeconds: timeoutSeconds),
                         waitReplicas: waitReplicas)
        }
        return point(workload, sessions: sessions, valueBase: valueBase, probeStale: stale, probes: probes)
    }
}
