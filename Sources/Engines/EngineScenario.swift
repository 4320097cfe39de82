import Foundation
import Stats
import Workload
import Yams

/// `caplab engine run SCENARIO.yaml`: the scenario format of `caplab
/// simulate` (name, operations, quick_operations, seed, timeout_ms,
/// workload) with an `engine:` section, run against a local cluster CAPLab
/// starts — or against an existing cluster's `endpoints`, where CAPLab
/// injects no faults and says so.
///
/// ```yaml
/// engine:
///   kind: etcd              # or redis
///   members: 3
///   read: serializable      # etcd: linearizable | serializable; redis: primary | replica
///   client_at: follower     # etcd: leader | follower
///   wait: 0                 # redis: WAIT n after every write
///   delay_ms: 5             # one-way peer (etcd) or replication (redis) delay; local clusters only
///   endpoints: []           # host:port of an existing cluster (redis: primary first)
///   faults:                 # local clusters only; times from the workload's start
///     - {at_s: 2, isolate: leader}     # leader | primary | a member index
///     - {at_s: 6, heal: true}          # also: crash: i, restart: i
/// ```
public enum EngineScenario {
    struct Spec {
        var name = "engine"
        var operations = 2_000, quickOperations = 300
        var seed: UInt64 = 1
        var timeoutSeconds = 2.0
        var rate = 100.0, writeFraction = 0.5, keys = 100, clients = 4
        var distribution = KeyDistribution.Kind.zipfian(theta: 0.99)
        var kind = LocalClusters.Kind.etcd
        var members = 3
        var read = "linearizable", clientAt = "leader"
        var wait = 0
        var delayMs = 0.0
        var endpoints: [String] = []
        var faults: [(Double, [String: Any])] = []
    }

    static func parse(_ text: String, file: String) throws -> Spec {
        guard let root = try Yams.load(yaml: text) as? [String: Any] else { throw EngineError("\(file): expected a YAML mapping") }
        var s = Spec()
        func number(_ m: [String: Any], _ k: String) -> Double? { (m[k] as? Double) ?? (m[k] as? Int).map(Double.init) }
        s.name = root["name"] as? String ?? s.name
        s.operations = root["operations"] as? Int ?? s.operations
        s.quickOperations = root["quick_operations"] as? Int ?? s.quickOperations
        s.seed = UInt64(root["seed"] as? Int ?? 1)
        s.timeoutSeconds = (number(root, "timeout_ms") ?? 2_000) / 1e3
        if let w = root["workload"] as? [String: Any] {
            s.rate = number(w, "rate_per_s") ?? s.rate
            s.writeFraction = number(w, "write_fraction") ?? s.writeFraction
            s.keys = w["keys"] as? Int ?? s.keys
            s.clients = w["clients"] as? Int ?? s.clients
            switch w["key_distribution"] as? String ?? "zipfian" {
            case "uniform": s.distribution = .uniform
            case "latest": s.distribution = .latest
            case "zipfian": break
            case let other: throw EngineError("\(file): workload.key_distribution: expected uniform, zipfian or latest, got '\(other)'")
            }
        }
        guard let e = root["engine"] as? [String: Any] else { throw EngineError("\(file): no `engine:` section (kind: etcd or redis, …)") }
        guard let kind = LocalClusters.Kind(rawValue: e["kind"] as? String ?? "") else { throw EngineError("\(file): engine.kind: expected etcd or redis") }
        s.kind = kind
        s.members = e["members"] as? Int ?? 3
        s.read = e["read"] as? String ?? (kind == .etcd ? "linearizable" : "primary")
        s.clientAt = e["client_at"] as? String ?? "leader"
        s.wait = e["wait"] as? Int ?? 0
        s.delayMs = number(e, "delay_ms") ?? 0
        s.endpoints = (e["endpoints"] as? [Any])?.map { "\($0)" } ?? []
        for f in (e["faults"] as? [[String: Any]]) ?? [] {
            guard let at = number(f, "at_s") else { throw EngineError("\(file): engine.faults: every fault needs at_s") }
            s.faults.append((at, f))
        }
        let validReads = kind == .etcd ? ["linearizable", "serializable"] : ["primary", "replica"]
        if !validReads.contains(s.read) { throw EngineError("\(file): engine.read: expected \(validReads.joined(separator: " or "))") }
        return s
    }

    static func split(_ endpoint: String) throws -> (String, Int) {
        let trimmed = endpoint.replacingOccurrences(of: "http://", with: "").replacingOccurrences(of: "redis://", with: "")
        let parts = trimmed.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { throw EngineError("endpoint '\(endpoint)': expected host:port") }
        return (String(parts[0]), port)
    }

    /// Runs the scenario and returns its report.
    public static func run(path: String, endpoints: [String]?, quick: Bool, historyPath: String?) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw EngineError("cannot read \(path)") }
        var spec = try parse(text, file: path)
        if let endpoints { spec.endpoints = endpoints }
        let operations = quick ? spec.quickOperations : spec.operations
        var workload = WorkloadDriver.Configuration(ratePerSecond: spec.rate, writeFraction: spec.writeFraction,
                                                    keys: KeyDistribution(spec.distribution, keyCount: spec.keys), clients: spec.clients,
                                                    operations: operations, maxSeconds: Double(operations) / spec.rate * 2 + 5, seed: spec.seed)
        workload.keyOffset = 0
        var report = "scenario \(spec.name): \(spec.kind.rawValue), \(operations) operations at \(spec.rate) ops/s, \(spec.clients) clients\n"
        var run: WorkloadDriver.Result
        if !spec.endpoints.isEmpty {
            report += "existing endpoints \(spec.endpoints.joined(separator: ", ")): CAPLab injects no faults and no delay\n"
            let addresses = try spec.endpoints.map(split)
            for (address, port) in addresses {
                do { _ = try TCPSocket.connect(from: nil, to: address, port: port, timeoutSeconds: spec.timeoutSeconds) } catch {
                    throw EngineError("endpoint \(address):\(port) does not answer within \(spec.timeoutSeconds) s: \(error)")
                }
            }
            switch spec.kind {
            case .etcd:
                let sessions = (0..<spec.clients).map { i in
                    let (a, p) = addresses[i % addresses.count]
                    return EtcdSession(client: EtcdClient(from: nil, address: a, port: p, timeoutSeconds: spec.timeoutSeconds), serializable: spec.read == "serializable")
                }
                run = WorkloadDriver.run(workload, sessions: sessions)
            case .redis:
                let (pa, pp) = addresses[0]
                let (ra, rp) = spec.read == "replica" && addresses.count > 1 ? addresses[1] : addresses[0]
                let sessions = (0..<spec.clients).map { _ in
                    RedisSession(writer: RedisClient(from: nil, address: pa, port: pp, timeoutSeconds: spec.timeoutSeconds),
                                 reader: RedisClient(from: nil, address: ra, port: rp, timeoutSeconds: spec.timeoutSeconds), waitReplicas: spec.wait)
                }
                run = WorkloadDriver.run(workload, sessions: sessions)
            }
        } else {
            Teardown.shared.installSignalHandlers()
            defer { Teardown.shared.run() }
            run = try runLocal(spec, workload, &report)
        }
        let verdict = EngineJudge.judge(run.records)
        let history = EngineJudge.history(run.records)
        if let historyPath { try HistoryEDN.render(history).write(toFile: historyPath, atomically: true, encoding: .utf8) }
        func ms(_ ns: UInt64) -> String { String(format: "%.3f", Double(ns) / 1e6) }
        for (label, h) in [("read", run.reads), ("write", run.writes)] {
            report += "\(label) latency ms: p50 \(ms(h.value(atPercentile: 50))) p99 \(ms(h.value(atPercentile: 99))) p99.9 \(ms(h.value(atPercentile: 99.9))) max \(ms(h.max)) (\(h.count) ok)\n"
        }
        report += String(format: "throughput %.1f ops/s; failed %d; indeterminate %d; stale reads %d of %d (%.4f)\n",
                         run.throughput, run.failed, run.indeterminate, verdict.result.staleReads, verdict.result.successfulReads, verdict.result.staleFraction)
        report += "linearizability (caplab check): \(LinearizabilityCheckerFacade.verdict(history))\n"
        return report
    }

    static func runLocal(_ spec: Spec, _ workload: WorkloadDriver.Configuration, _ report: inout String) throws -> WorkloadDriver.Result {
        if let reason = HostNetwork.fallbackReason { report += "note: \(reason)\n" }
        let start: UInt64
        var apply: (@Sendable (FaultSchedule.Action) throws -> Void)
        let run: () -> WorkloadDriver.Result
        var steps: [(atSeconds: Double, action: FaultSchedule.Action)] = []
        switch spec.kind {
        case .etcd:
            let cluster = try EtcdCluster(members: spec.members)
            cluster.setPeerDelay(milliseconds: spec.delayMs)
            try cluster.waitForLeader(timeout: 15)
            let leader = cluster.leaderIndex() ?? 0
            let member = spec.clientAt == "leader" ? leader : (leader + 1) % spec.members
            report += "client at member \(member) (\(spec.clientAt)); leader \(leader); one-way peer delay \(spec.delayMs) ms\n"
            steps = try spec.faults.map { try ($0.0, action($0.1, special: leader)) }
            apply = { a in try perform(a, network: cluster.network, crash: cluster.crash, restart: cluster.restart) }
            let sessions = (0..<spec.clients).map { _ in EtcdSession(client: cluster.client(at: member, timeoutSeconds: spec.timeoutSeconds), serializable: spec.read == "serializable") }
            start = monotonicNanoseconds()
            run = { WorkloadDriver.run(workload, sessions: sessions, startNanoseconds: start) }
        case .redis:
            let cluster = try RedisCluster(replicas: spec.members - 1, sentinels: !spec.faults.isEmpty && spec.members == 3, replicationProxies: spec.faults.isEmpty)
            cluster.setReplicationDelay(milliseconds: spec.delayMs)
            report += "writes to the primary (node 0), reads from \(spec.read); replication delay \(spec.delayMs) ms\(spec.faults.isEmpty ? "" : " (not with Sentinel)")\n"
            steps = try spec.faults.map { try ($0.0, action($0.1, special: 0)) }
            apply = { a in try perform(a, network: cluster.network, crash: cluster.crash, restart: cluster.restart) }
            let sessions = (0..<spec.clients).map { _ in
                RedisSession(writer: cluster.client(at: 0, timeoutSeconds: spec.timeoutSeconds),
                             reader: cluster.client(at: spec.read == "replica" ? 1 : 0, timeoutSeconds: spec.timeoutSeconds), waitReplicas: spec.wait)
            }
            start = monotonicNanoseconds()
            run = { WorkloadDriver.run(workload, sessions: sessions, startNanoseconds: start) }
        }
        let faults = FaultSchedule(steps).start(startNanoseconds: start, apply: apply)
        let result = run()
        for f in faults.wait() { report += String(format: "fault %@ at %.2f s%@\n", f.action.description, Double(f.atNanoseconds) / 1e9, f.error.map { ": \($0)" } ?? "") }
        return result
    }

    static func action(_ f: [String: Any], special: Int) throws -> FaultSchedule.Action {
        func member(_ v: Any?) throws -> Int {
            if let i = v as? Int { return i }
            if let s = v as? String, ["leader", "primary"].contains(s) { return special }
            throw EngineError("engine.faults: expected a member index, leader or primary")
        }
        if f["heal"] != nil { return .heal }
        if let v = f["isolate"] { return .isolate(try (v as? [Any])?.map { try member($0) } ?? [member(v)]) }
        if let v = f["crash"] { return .crash(try member(v)) }
        if let v = f["restart"] { return .restart(try member(v)) }
        throw EngineError("engine.faults: expected isolate, heal, crash or restart")
    }

    static func perform(_ a: FaultSchedule.Action, network: HostNetwork, crash: (Int) -> Void, restart: (Int) throws -> Void) throws {
        switch a {
        case .isolate(let g): try network.isolate(g)
        case .partition(let from, let to, let symmetric): try network.partition(from, to, symmetric: symmetric)
        case .heal: try network.heal()
        case .crash(let i): crash(i)
        case .restart(let i): try restart(i)
        }
    }
}
