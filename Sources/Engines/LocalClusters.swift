import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `caplab engine up|status|down`: a local cluster that outlives the command
/// that started it. `up` records what it created (PIDs with their command
/// lines, namespaces, scratch directory) in a state file; `down` stops
/// exactly those PIDs — after checking each is still the process that was
/// started — and removes the namespaces and the scratch directory.
public enum LocalClusters {
    public enum Kind: String, Sendable, CaseIterable { case etcd, redis }

    struct State: Codable {
        var kind: String
        var pids: [Int32]
        var commands: [String]
        /// Each process's start time (field 22 of /proc/PID/stat), which tells a reused PID apart.
        var starts: [UInt64]
        var namespaces: [String]
        var scratch: String
        var endpoints: [String]
    }

    static func statePath(_ kind: Kind) -> String { NSTemporaryDirectory() + "caplab-engine-\(kind.rawValue).json" }

    static func load(_ kind: Kind) -> State? {
        guard let data = FileManager.default.contents(atPath: statePath(kind)) else { return nil }
        return try? JSONDecoder().decode(State.self, from: data)
    }

    /// Starts a cluster and leaves it running; returns its endpoints, one per line.
    public static func up(_ kind: Kind, members: Int) throws -> String {
        if let existing = load(kind) { throw EngineError("a local \(kind.rawValue) cluster is already up (\(existing.endpoints.joined(separator: " "))): `caplab engine down \(kind.rawValue)` first") }
        Teardown.shared.installSignalHandlers()
        do {
            let network = try HostNetwork(count: members)
            let scratch = try Scratch.create(kind.rawValue, keep: true)
            var state = State(kind: kind.rawValue, pids: [], commands: [], starts: [], namespaces: [network.hub].compactMap { $0 } + network.hosts.compactMap(\.namespace),
                              scratch: scratch.path, endpoints: [])
            let processes: [SupervisedProcess]
            switch kind {
            case .etcd:
                let c = try EtcdCluster(members: members, network: network, scratch: scratch, peerProxies: false)
                processes = c.processes
                state.endpoints = c.members.map { "http://\($0.host.address):\($0.clientPort)" }
            case .redis:
                let c = try RedisCluster(replicas: members - 1, sentinels: members == 3, replicationProxies: false, network: network, scratch: scratch)
                processes = c.servers + c.sentinels
                state.endpoints = c.nodes.map { "redis://\($0.host.address):\($0.port)" } + (members == 3 ? c.nodes.map { "sentinel://\($0.host.address):\($0.sentinelPort)" } : [])
            }
            state.pids = processes.map(\.pid)
            state.commands = processes.map { $0.arguments.joined(separator: " ") }
            state.starts = processes.map { startTime($0.pid) ?? 0 }
            try JSONEncoder().encode(state).write(to: URL(fileURLWithPath: statePath(kind)))
            var text = network.isolated ? "" : "note: \(HostNetwork.fallbackReason ?? "loopback")\n"
            text += "\(kind.rawValue): \(members) members up (PIDs \(state.pids.map(String.init).joined(separator: " ")))\n"
            if let ns = network.hosts.first?.namespace { text += "namespaces: \(ns.dropLast(3))-*; a client inside one: ip netns exec \(ns) …\n" }
            text += state.endpoints.joined(separator: "\n") + "\n"
            return text
        } catch {
            Teardown.shared.run()
            if let state = load(kind) { _ = state; try? FileManager.default.removeItem(atPath: statePath(kind)) }
            throw error
        }
    }

    /// Which recorded processes still run, and what each member says about itself.
    public static func status(_ kind: Kind) -> String {
        guard let state = load(kind) else { return "\(kind.rawValue): no local cluster (`caplab engine up \(kind.rawValue)`)\n" }
        var text = "\(kind.rawValue): \(state.pids.count) processes, scratch \(state.scratch)\n"
        for (i, pid) in state.pids.enumerated() {
            let command = state.commands[i].split(separator: " ").filter { !$0.hasPrefix("/usr/sbin/ip") }.prefix(5).joined(separator: " ")
            text += "  pid \(pid) \(isSame(pid, state.starts[i]) ? "running" : "gone"): \(command) …\n"
        }
        for (i, endpoint) in state.endpoints.enumerated() {
            let host = MemberHost(index: i, namespace: state.namespaces.count > 1 ? state.namespaces[min(i % (state.namespaces.count - 1), state.namespaces.count - 2) + 1] : nil,
                            address: String(endpoint.split(separator: "/").last!.split(separator: ":")[0]))
            let port = Int(endpoint.split(separator: ":").last!) ?? 0
            if endpoint.hasPrefix("http") {
                let s = try? EtcdClient(from: host, address: host.address, port: port, timeoutSeconds: 1).status()
                text += "  \(endpoint): " + (s.map { "member \(String($0.member, radix: 16)), leader \(String($0.leader, radix: 16))\($0.member == $0.leader ? " (this one)" : "")" } ?? "no answer") + "\n"
            } else if endpoint.hasPrefix("redis") {
                let info = try? RedisClient(from: host, address: host.address, port: port, timeoutSeconds: 1).replicationInfo()
                text += "  \(endpoint): " + (info.map { "role \($0["role"] ?? "?"), replicas \($0["connected_slaves"] ?? "-"), offset \($0["master_repl_offset"] ?? "?")" } ?? "no answer") + "\n"
            }
        }
        return text
    }

    /// The start time of `pid` in clock ticks since boot, nil when it does not exist.
    static func startTime(_ pid: Int32) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may hold spaces): state is field 3, starttime field 22.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z" else { return nil }
        return UInt64(fields[19])
    }

    /// True when `pid` runs and is the process recorded (a reused PID has another start time).
    static func isSame(_ pid: Int32, _ start: UInt64) -> Bool { startTime(pid) == start }

    /// Stops the recorded processes (SIGKILL, by PID), removes the namespaces and the scratch directory.
    public static func down(_ kind: Kind) -> String {
        guard let state = load(kind) else { return "\(kind.rawValue): no local cluster\n" }
        var stopped = 0
        for (pid, start) in zip(state.pids, state.starts) where isSame(pid, start) {
            kill(pid, SIGKILL)
            stopped += 1
        }
        _ = waitUntil(timeout: 10) { zip(state.pids, state.starts).allSatisfy { !isSame($0, $1) } }
        for ns in state.namespaces { _ = try? SystemCommand.run(["ip", "netns", "del", ns]) }
        try? FileManager.default.removeItem(atPath: state.scratch)
        try? FileManager.default.removeItem(atPath: statePath(kind))
        return "\(kind.rawValue): stopped \(stopped) processes, removed \(state.namespaces.count) namespaces and \(state.scratch)\n"
    }
}
