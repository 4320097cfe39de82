import Consistency
import Foundation
import Stats
import Workload

/// The CAP picture on real engines: a member cut off from the rest in the
/// middle of a run, then healed; per group of clients, what failed, what was
/// indeterminate, what was stale, how long the group could not complete an
/// operation, and which acknowledged writes the final state lost.
public enum PartitionScenarios {
    public struct Group: Sendable {
        public let name: String
        public var verdict: EngineJudge.Verdict
        /// Longest stretch, from the partition's start to heal + 3 s, with no successful operation of this group.
        public var unavailableSeconds: Double
    }

    public struct Outcome: Sendable {
        public var groups: [Group]
        public var linearizability: String
        public var partitionSeconds: Double
        public var operations: Int
        public var faults: [String]
        public var edn: String
    }

    public struct Timing: Sendable {
        public var before: Double, partition: Double, after: Double
        public init(before: Double, partition: Double, after: Double) { self.before = before; self.partition = partition; self.after = after }
        var total: Double { before + partition + after }
    }

    static func unavailable(_ records: [EngineOperation], from: Int64, to: Int64) -> Double {
        var last = from, longest: Int64 = 0
        for r in records.sorted(by: { $0.completed < $1.completed }) where r.outcome == .ok && r.completed > from && r.completed <= to {
            longest = max(longest, r.completed - last)
            last = r.completed
        }
        return Double(max(longest, to - last)) / 1e9
    }

    static func outcome(_ run: WorkloadDriver.Result, groups: [(String, (EngineOperation) -> Bool)], window: ClosedRange<Int64>,
                        finalValues: [UInt64: (value: Int64?, order: Int64)], faults: [String]) -> Outcome {
        let judged = groups.map { name, member in
            Group(name: name, verdict: EngineJudge.judge(run.records, window: window, finalValues: finalValues, counted: member),
                  unavailableSeconds: unavailable(run.records.filter(member), from: window.lowerBound, to: window.upperBound + 3_000_000_000))
        }
        // The final reads go into the history too (one process of their own, after everything else), so a
        // lost acknowledged write is also a linearizability violation the checker can name.
        let end = (run.records.map(\.completed).max() ?? 0) + 1
        let finalReads = finalValues.sorted { $0.key < $1.key }.enumerated().map { i, kv in
            EngineOperation(process: 1_000_000, isWrite: false, key: kv.key, value: kv.value.value, order: kv.value.order,
                            intended: end + Int64(2 * i), invoked: end + Int64(2 * i), completed: end + Int64(2 * i + 1), outcome: .ok)
        }
        let history = EngineJudge.history(run.records + finalReads)
        let report = LinearizabilityCheckerFacade.verdict(history)
        return Outcome(groups: judged, linearizability: report, partitionSeconds: Double(window.upperBound - window.lowerBound) / 1e9,
                       operations: run.records.count, faults: faults, edn: HistoryEDN.render(history))
    }

    /// etcd, N members: the leader is isolated from the majority, then healed. Client threads 0–1 are at the
    /// old leader (0: serializable reads, 1: linearizable), 2–3 at a follower (linearizable).
    public static func etcdLeaderIsolated(_ cluster: EtcdCluster, timing: Timing, ratePerSecond: Double, seed: UInt64,
                                          timeoutSeconds: Double = 1.5) throws -> Outcome {
        guard let leader = cluster.leaderIndex() else { throw EngineError("the etcd members do not agree on a leader") }
        let follower = (leader + 1) % cluster.members.count
        let sessions = [EtcdSession(client: cluster.client(at: leader, timeoutSeconds: timeoutSeconds), serializable: true),
                        EtcdSession(client: cluster.client(at: leader, timeoutSeconds: timeoutSeconds), serializable: false),
                        EtcdSession(client: cluster.client(at: follower, timeoutSeconds: timeoutSeconds), serializable: false),
                        EtcdSession(client: cluster.client(at: follower, timeoutSeconds: timeoutSeconds), serializable: false)]
        let workload = WorkloadDriver.Configuration(ratePerSecond: ratePerSecond, writeFraction: 0.5, keys: KeyDistribution(.uniform, keyCount: 8),
                                                    clients: 4, operations: Int(ratePerSecond * timing.total) + 1, maxSeconds: timing.total, seed: seed)
        let start = monotonicNanoseconds()
        let network = cluster.network
        let faults = FaultSchedule([(timing.before, .isolate([leader])), (timing.before + timing.partition, .heal)])
            .start(startNanoseconds: start) { action in
                switch action {
                case .isolate(let g): try network.isolate(g)
                case .heal: try network.heal()
                default: break
                }
            }
        let run = WorkloadDriver.run(workload, sessions: sessions, startNanoseconds: start)
        let applied = faults.wait()
        try cluster.waitForLeader(timeout: 15)
        let reader = cluster.client(at: follower, timeoutSeconds: 5)
        var finals: [UInt64: (value: Int64?, order: Int64)] = [:]
        for key in Set(run.records.filter(\.isWrite).map(\.key)) {
            if let r = try? reader.get(key: key, serializable: false) { finals[key] = (r.value, r.modRevision) }
        }
        let window = applied[0].atNanoseconds...applied[1].atNanoseconds
        func thread(_ r: EngineOperation) -> Int64 { r.process % 4 }
        return outcome(run, groups: [("old-leader-serializable", { thread($0) == 0 }), ("old-leader-linearizable", { thread($0) == 1 }),
                                     ("majority", { thread($0) >= 2 })],
                       window: window, finalValues: finals, faults: applied.map { "\($0.action)@\(Double($0.atNanoseconds) / 1e9)s\($0.error.map { " (\($0))" } ?? "")" })
    }

    /// Redis with Sentinels: the primary (node 0) is isolated; its clients keep writing to it (with `WAIT
    /// waitReplicas` when > 0) and reading from it; Sentinel promotes a replica; after heal the old primary
    /// rejoins as a replica. Final reads from the primary Sentinel names.
    public static func redisPrimaryIsolated(_ cluster: RedisCluster, timing: Timing, ratePerSecond: Double, waitReplicas: Int, seed: UInt64,
                                            valueBase: Int64, keyOffset: UInt64, timeoutSeconds: Double = 1.5) throws -> Outcome {
        let sessions = (0..<2).map { _ in
            RedisSession(writer: cluster.client(at: 0, timeoutSeconds: timeoutSeconds), reader: cluster.client(at: 0, timeoutSeconds: timeoutSeconds),
                         waitReplicas: waitReplicas, waitTimeoutMilliseconds: 500)
        }
        var workload = WorkloadDriver.Configuration(ratePerSecond: ratePerSecond, writeFraction: 0.5, keys: KeyDistribution(.uniform, keyCount: 8),
                                                    clients: 2, operations: Int(ratePerSecond * timing.total) + 1, maxSeconds: timing.total, seed: seed)
        workload.keyOffset = keyOffset
        let start = monotonicNanoseconds()
        let network = cluster.network
        let faults = FaultSchedule([(timing.before, .isolate([0])), (timing.before + timing.partition, .heal)])
            .start(startNanoseconds: start) { action in
                switch action {
                case .isolate(let g): try network.isolate(g)
                case .heal: try network.heal()
                default: break
                }
            }
        let run = WorkloadDriver.run(workload, sessions: sessions, startNanoseconds: start, valueBase: valueBase)
        let applied = faults.wait()
        // Wait for the old primary to be demoted and to catch up with the new one.
        var primary = 0
        _ = waitUntil(timeout: 15, interval: 0.2) {
            guard let p = cluster.primaryIndex(accordingTo: 1), p != 0 else { return false }
            primary = p
            let info = try? cluster.client(at: 0, timeoutSeconds: 1).replicationInfo()
            return info?["role"] == "slave" && info?["master_link_status"] == "up"
        }
        let reader = cluster.client(at: primary, timeoutSeconds: 2)
        var finals: [UInt64: (value: Int64?, order: Int64)] = [:]
        for key in Set(run.records.filter(\.isWrite).map(\.key)) {
            if let v = try? reader.get(key: key) { finals[key] = (v, 0) }
        }
        let window = applied[0].atNanoseconds...applied[1].atNanoseconds
        var faultsText = applied.map { "\($0.action)@\(Double($0.atNanoseconds) / 1e9)s\($0.error.map { " (\($0))" } ?? "")" }
        faultsText.append("primary after heal: node \(primary)")
        return outcome(run, groups: [("old-primary", { _ in true })], window: window, finalValues: finals, faults: faultsText)
    }
}

/// The checker's verdict on a history, as a word.
enum LinearizabilityCheckerFacade {
    static func verdict(_ history: History) -> String {
        guard let operations = try? history.operations() else { return "unreadable" }
        return LinearizabilityChecker().check(operations).verdict.rawValue
    }
}

/// Histories as Jepsen EDN (`caplab check` reads them).
public enum HistoryEDN {
    public static func render(_ history: History) -> String { HistoryFormat.edn.render(history) }
}
