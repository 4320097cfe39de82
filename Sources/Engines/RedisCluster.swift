import Foundation

/// A Redis 7.0 primary with replicas (asynchronous replication), one per
/// host, optionally watched by three Sentinels (one per host, quorum 2).
///
/// With `replicationDelay` each replica replicates through a ``DelayProxy``
/// on its own host (so the delay applies to the replication stream both
/// ways). Sentinel rewrites a replica that names any address but the
/// primary's ("+fix-slave-config"), so a cluster with Sentinels replicates
/// directly and its faults are partitions and crashes.
public final class RedisCluster: @unchecked Sendable {
    public struct Node: Sendable {
        public let host: MemberHost
        public let port: Int
        public let sentinelPort: Int
    }

    public static let masterName = "caplab"
    public let network: HostNetwork
    public let nodes: [Node]
    public private(set) var proxies: [DelayProxy] = []
    public private(set) var servers: [SupervisedProcess] = []
    public private(set) var sentinels: [SupervisedProcess] = []
    public let scratch: Scratch

    public init(replicas: Int = 2, sentinels withSentinels: Bool = false, replicationProxies: Bool = true,
                network: HostNetwork? = nil, scratch: Scratch? = nil, readyTimeout: Double = 20) throws {
        guard let server = SystemCommand.which("redis-server") else { throw EngineError.missingBinary("redis-server", package: "redis-server") }
        let sentinelBinary = SystemCommand.which("redis-sentinel")
        if withSentinels && sentinelBinary == nil { throw EngineError.missingBinary("redis-sentinel", package: "redis-sentinel") }
        let network = try network ?? HostNetwork(count: replicas + 1)
        self.network = network
        let scratch = try scratch ?? Scratch.create("redis")
        self.scratch = scratch
        nodes = network.hosts.prefix(replicas + 1).map { h in
            let port = network.isolated ? 6379 : 26_400 + 10 * h.index
            return Node(host: h, port: port, sentinelPort: port + 20_000)
        }
        for n in nodes {
            for port in [n.port] + (withSentinels ? [n.sentinelPort] : []) + (replicationProxies && n.host.index > 0 ? [n.port + 10_000] : [])
            where !TCPSocket.isFree(on: n.host, address: n.host.address, port: port) {
                throw EngineError("\(n.host.address):\(port) (redis on host \(n.host.index)) is already in use: stop whatever listens there (`caplab engine down redis`?)")
            }
        }
        let primary = nodes[0]
        for n in nodes {
            let dir = try scratch.subdirectory("r\(n.host.index)")
            var args = [server, "--bind", n.host.address, "--port", String(n.port), "--dir", dir, "--save", "", "--appendonly", "no",
                        "--daemonize", "no", "--protected-mode", "no"]
            if n.host.index > 0 {
                if replicationProxies && !withSentinels {
                    let proxy = try DelayProxy(listenHost: n.host, listenAddress: n.host.address, listenPort: n.port + 10_000,
                                               upstreamHost: n.host, upstreamAddress: primary.host.address, upstreamPort: primary.port,
                                               seed: UInt64(100 + n.host.index))
                    proxies.append(proxy)
                    args += ["--replicaof", n.host.address, String(proxy.port)]
                } else {
                    args += ["--replicaof", primary.host.address, String(primary.port)]
                }
            }
            servers.append(try ProcessSupervisor.start(name: "redis \(n.host.index)", arguments: network.command(on: n.host, args),
                                                       logPath: scratch.path + "/redis-\(n.host.index).log"))
        }
        let ready = waitUntil(timeout: readyTimeout, interval: 0.1) {
            guard servers.allSatisfy(\.isRunning) else { return true }
            let info = try? client(at: 0, timeoutSeconds: 1).replicationInfo()
            return Int(info?["connected_slaves"] ?? "") == replicas
                && (1...replicas).allSatisfy { i in (try? client(at: i, timeoutSeconds: 1).replicationInfo()["master_link_status"]) == "up" }
        }
        if let dead = servers.firstIndex(where: { !$0.isRunning }) {
            throw EngineError("redis on host \(dead) exited during start-up; its log ends:\n\(servers[dead].logTail())")
        }
        if !ready { throw EngineError("redis replicas were not online within \(readyTimeout) s; the primary's log ends:\n\(servers[0].logTail())") }
        if withSentinels, let sentinelBinary {
            for n in nodes {
                let file = scratch.path + "/sentinel-\(n.host.index).conf"
                let conf = """
                    port \(n.sentinelPort)
                    bind \(n.host.address)
                    protected-mode no
                    dir \(scratch.path)
                    sentinel monitor \(Self.masterName) \(primary.host.address) \(primary.port) 2
                    sentinel down-after-milliseconds \(Self.masterName) 1000
                    sentinel failover-timeout \(Self.masterName) 4000
                    sentinel parallel-syncs \(Self.masterName) 2

                    """
                try conf.write(toFile: file, atomically: true, encoding: .utf8)
                sentinels.append(try ProcessSupervisor.start(name: "sentinel \(n.host.index)", arguments: network.command(on: n.host, [sentinelBinary, file]),
                                                             logPath: scratch.path + "/sentinel-\(n.host.index).log"))
            }
            let known = waitUntil(timeout: readyTimeout, interval: 0.2) {
                sentinels.allSatisfy(\.isRunning) && nodes.indices.allSatisfy { i in
                    guard case .array(let items?)? = try? sentinelClient(at: i).command(["SENTINEL", "replicas", Self.masterName], isWrite: false) else { return false }
                    return items.count == replicas
                }
            }
            if let dead = sentinels.firstIndex(where: { !$0.isRunning }) {
                throw EngineError("redis-sentinel on host \(dead) exited during start-up; its log ends:\n\(sentinels[dead].logTail())")
            }
            if !known { throw EngineError("the Sentinels did not discover the replicas within \(readyTimeout) s") }
        }
    }

    /// A client of node `index`, its socket in that node's namespace.
    public func client(at index: Int, timeoutSeconds: Double = 2) -> RedisClient {
        let n = nodes[index]
        return RedisClient(from: n.host, address: n.host.address, port: n.port, timeoutSeconds: timeoutSeconds)
    }

    public func sentinelClient(at index: Int, timeoutSeconds: Double = 1) -> RedisClient {
        let n = nodes[index]
        return RedisClient(from: n.host, address: n.host.address, port: n.sentinelPort, timeoutSeconds: timeoutSeconds)
    }

    /// The node the Sentinel on `index` names as primary (nil when it does not answer).
    public func primaryIndex(accordingTo index: Int) -> Int? {
        guard case .array(let items?)? = try? sentinelClient(at: index).command(["SENTINEL", "get-master-addr-by-name", Self.masterName], isWrite: false),
              items.count == 2, case .bulk(let ip?) = items[0], case .bulk(let port?) = items[1] else { return nil }
        let address = String(decoding: ip, as: UTF8.self), p = Int(String(decoding: port, as: UTF8.self))
        return nodes.firstIndex { $0.host.address == address && $0.port == p }
    }

    /// One-way delay on every replication link, in milliseconds.
    public func setReplicationDelay(milliseconds: Double) { for p in proxies { p.setDelay(milliseconds: milliseconds) } }

    public func crash(_ index: Int) { servers[index].kill() }
    public func restart(_ index: Int) throws { try ProcessSupervisor.restart(servers[index]) }

    public func stop() {
        for p in sentinels + servers { p.kill() }
        for p in proxies { p.stop() }
    }
}
