import Foundation

/// An etcd 3.4 cluster of N members, one per host, started by CAPLab.
/// Each member's peer URL is advertised as a ``DelayProxy`` in front of its
/// real peer port, so every peer message crosses one proxy once (etcd's
/// stream readers dial the sender's advertised URL): a proxy delay d is a
/// one-way peer delay d. Clients talk to members directly.
public final class EtcdCluster: @unchecked Sendable {
    public struct Member: Sendable {
        public let name: String
        public let host: MemberHost
        public let clientPort: Int
        public let peerPort: Int
        public let proxyPort: Int
        public let dataDirectory: String
    }

    public let network: HostNetwork
    public let members: [Member]
    public let proxies: [DelayProxy]
    public private(set) var processes: [SupervisedProcess] = []
    public let scratch: Scratch

    /// Starts `count` members and waits until they agree on a leader (at most `readyTimeout` s).
    /// On failure: the tail of the failing member's log in the error, everything torn down by the caller's ``Teardown``.
    /// `peerProxies: false` advertises the real peer ports (a cluster that outlives this process, `caplab engine up`).
    public init(members count: Int, network: HostNetwork? = nil, scratch: Scratch? = nil, peerProxies: Bool = true, readyTimeout: Double = 30) throws {
        guard let etcd = SystemCommand.which("etcd") else { throw EngineError.missingBinary("etcd", package: "etcd-server") }
        let network = try network ?? HostNetwork(count: count)
        self.network = network
        let scratch = try scratch ?? Scratch.create("etcd")
        self.scratch = scratch
        var members: [Member] = []
        for host in network.hosts.prefix(count) {
            // On loopback every member needs ports of its own.
            let base = network.isolated ? 2379 : 23_790 + 10 * host.index
            members.append(Member(name: "n\(host.index)", host: host, clientPort: base, peerPort: base + 1, proxyPort: base + 10_000,
                                  dataDirectory: try scratch.subdirectory("n\(host.index)")))
        }
        for m in members {
            for port in [m.clientPort, m.peerPort, m.proxyPort] where !TCPSocket.isFree(on: m.host, address: m.host.address, port: port) {
                throw EngineError("\(m.host.address):\(port) (etcd member \(m.name)) is already in use: stop whatever listens there (`caplab engine down etcd`?)")
            }
        }
        self.members = members
        proxies = !peerProxies ? [] : try members.map { m in
            try DelayProxy(listenHost: m.host, listenAddress: m.host.address, listenPort: m.proxyPort,
                           upstreamHost: m.host, upstreamAddress: m.host.address, upstreamPort: m.peerPort, seed: UInt64(m.host.index + 1))
        }
        let advertised = { (m: Member) in peerProxies ? m.proxyPort : m.peerPort }
        let cluster = members.map { "\($0.name)=http://\($0.host.address):\(advertised($0))" }.joined(separator: ",")
        let token = "caplab-\(network.runID)"
        for m in members {
            let args = [etcd, "--name", m.name, "--data-dir", m.dataDirectory,
                        "--listen-client-urls", "http://\(m.host.address):\(m.clientPort)",
                        "--advertise-client-urls", "http://\(m.host.address):\(m.clientPort)",
                        "--listen-peer-urls", "http://\(m.host.address):\(m.peerPort)",
                        "--initial-advertise-peer-urls", "http://\(m.host.address):\(advertised(m))",
                        "--initial-cluster", cluster, "--initial-cluster-token", token, "--initial-cluster-state", "new",
                        "--log-level", "warn", "--logger", "zap"]
            processes.append(try ProcessSupervisor.start(name: "etcd \(m.name)", arguments: network.command(on: m.host, args),
                                                         logPath: scratch.path + "/\(m.name).log"))
        }
        try waitForLeader(timeout: readyTimeout)
    }

    /// Waits until every running member reports the same leader; throws with log tails otherwise.
    public func waitForLeader(timeout: Double, among indices: [Int]? = nil) throws {
        let watched = indices ?? members.indices.map { $0 }
        var last = ""
        let ok = waitUntil(timeout: timeout, interval: 0.2) {
            for (i, p) in processes.enumerated() where watched.contains(i) && !p.isRunning {
                last = "member \(members[i].name) exited"
                return true
            }
            let leaders = watched.map { i in (try? client(at: i, timeoutSeconds: 1).status().leader) ?? 0 }
            last = "leaders seen: \(leaders)"
            return leaders.allSatisfy { $0 != 0 && $0 == leaders[0] }
        }
        if let dead = watched.first(where: { !processes[$0].isRunning }) {
            throw EngineError("etcd member \(members[dead].name) exited during start-up; its log ends:\n\(processes[dead].logTail())")
        }
        if !ok {
            throw EngineError("etcd members did not agree on a leader within \(timeout) s (\(last)); member \(members[0].name)'s log ends:\n\(processes[0].logTail())")
        }
    }

    /// A client of member `index`, its socket in that member's namespace.
    public func client(at index: Int, timeoutSeconds: Double = 2) -> EtcdClient {
        let m = members[index]
        return EtcdClient(from: m.host, address: m.host.address, port: m.clientPort, timeoutSeconds: timeoutSeconds)
    }

    /// The index of the leader as the members in `among` see it (nil when they disagree or have none).
    public func leaderIndex(among indices: [Int]? = nil) -> Int? {
        var ids: [UInt64: Int] = [:]
        var leaders: Set<UInt64> = []
        for i in indices ?? members.indices.map({ $0 }) {
            guard let s = try? client(at: i, timeoutSeconds: 1).status() else { continue }
            ids[s.member] = i
            leaders.insert(s.leader)
        }
        guard leaders.count == 1, let leader = leaders.first else { return nil }
        if let i = ids[leader] { return i }
        // The leader is outside `among`: ask it directly.
        for i in members.indices { if let s = try? client(at: i, timeoutSeconds: 1).status(), s.member == leader { return i } }
        return nil
    }

    /// One-way delay on every peer link, in milliseconds.
    public func setPeerDelay(milliseconds: Double) { for p in proxies { p.setDelay(milliseconds: milliseconds) } }

    /// SIGKILL member `index` (a crash).
    public func crash(_ index: Int) { processes[index].kill() }

    /// Restarts member `index` on its data directory.
    public func restart(_ index: Int) throws { try ProcessSupervisor.restart(processes[index]) }

    /// Stops every member and proxy (the namespaces and scratch go with ``Teardown``).
    public func stop() {
        for p in processes { p.kill() }
        for p in proxies { p.stop() }
    }
}
