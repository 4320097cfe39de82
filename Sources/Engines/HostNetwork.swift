import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where one member runs: its own network namespace with its own address on
/// a private bridge, or (without root) loopback with per-member ports.
public struct MemberHost: Sendable, Equatable {
    public let index: Int
    /// The network namespace (`ip netns`), nil on loopback.
    public let namespace: String?
    public let address: String
}

/// The isolated hosts of one run. Every namespace, bridge and veth is
/// named `caplab…` and lives inside namespaces this run created: a hub
/// namespace holds the bridge, each member namespace one end of a veth pair,
/// so nothing is added to the machine's own network namespace and deleting
/// the namespaces removes everything (iptables rules included).
///
/// Addresses are 10.77.0.(10 + i)/24, assigned only inside these
/// namespaces; nothing outside the machine is ever addressed.
public final class HostNetwork: @unchecked Sendable {
    public let runID: String
    public let hosts: [MemberHost]
    public let isolated: Bool
    public let hub: String?

    /// True when this process may create namespaces (root, and `ip` present).
    public static var canIsolate: Bool { geteuid() == 0 && SystemCommand.which("ip") != nil && SystemCommand.which("iptables") != nil }

    /// Why namespaces are not used, or nil when they are.
    public static var fallbackReason: String? {
        if geteuid() != 0 { return "not running as root: members share loopback with per-member ports; delays work, partitions do not" }
        if SystemCommand.which("ip") == nil { return "`ip` not found (Debian package iproute2, `make deps`): loopback only" }
        if SystemCommand.which("iptables") == nil { return "`iptables` not found (Debian package iptables, `make deps`): loopback only" }
        return nil
    }

    /// Creates `count` hosts; namespaces when possible (unless `loopback`), loopback otherwise.
    /// Registers its own removal with ``Teardown``.
    public init(count: Int, loopback: Bool = false) throws {
        let runID = String(format: "%04x", UInt16.random(in: 0...UInt16.max))
        self.runID = runID
        isolated = !loopback && Self.canIsolate
        if !isolated {
            hub = nil
            hosts = (0..<count).map { MemberHost(index: $0, namespace: nil, address: "127.0.0.1") }
            return
        }
        let hubName = "caplab-\(runID)-hub"
        let existing = (try? SystemCommand.run(["ip", "netns", "list"]).output) ?? ""
        if existing.contains("caplab-\(runID)-") { throw EngineError("network namespace caplab-\(runID)-* already exists; remove it with `ip netns del` or retry") }
        hub = hubName
        let hosts = (0..<count).map { MemberHost(index: $0, namespace: "caplab-\(runID)-m\($0)", address: "10.77.0.\(10 + $0)") }
        self.hosts = hosts
        try Self.addNamespace(hubName)
        let bridge = "caplab\(runID)br"
        try SystemCommand.check(["ip", "-n", hubName, "link", "add", bridge, "type", "bridge"])
        try SystemCommand.check(["ip", "-n", hubName, "link", "set", bridge, "up"])
        for host in hosts {
            let ns = host.namespace!
            let inner = "caplab\(runID)v\(host.index)", outer = "caplab\(runID)p\(host.index)"
            try Self.addNamespace(ns)
            try SystemCommand.check(["ip", "link", "add", inner, "netns", ns, "type", "veth", "peer", "name", outer, "netns", hubName])
            try SystemCommand.check(["ip", "-n", hubName, "link", "set", outer, "master", bridge, "up"])
            try SystemCommand.check(["ip", "-n", ns, "addr", "add", "\(host.address)/24", "dev", inner])
            try SystemCommand.check(["ip", "-n", ns, "link", "set", inner, "up"])
            try SystemCommand.check(["ip", "-n", ns, "link", "set", "lo", "up"])
            // Partition rules go in a chain of our own, jumped to from INPUT and OUTPUT.
            try SystemCommand.check(["ip", "netns", "exec", ns, "iptables", "-N", Self.chain])
            try SystemCommand.check(["ip", "netns", "exec", ns, "iptables", "-A", "INPUT", "-j", Self.chain])
            try SystemCommand.check(["ip", "netns", "exec", ns, "iptables", "-A", "OUTPUT", "-j", Self.chain])
        }
    }

    static let chain = "caplab-drop"

    /// Creates namespace `name` and, only once that succeeded, registers its removal with
    /// ``Teardown`` (a name that already existed belongs to someone else and is left alone).
    /// Bridges, veths and iptables chains live inside these namespaces and go with them.
    static func addNamespace(_ name: String) throws {
        try SystemCommand.check(["ip", "netns", "add", name])
        Teardown.shared.onTeardown("namespace \(name)") { _ = try? SystemCommand.run(["ip", "netns", "del", name]) }
    }

    /// The command line that runs `arguments` on `host` (through `ip netns exec`, which execs,
    /// so the PID CAPLab keeps is the server's own).
    public func command(on host: MemberHost, _ arguments: [String]) -> [String] {
        guard let ns = host.namespace else { return arguments }
        return [SystemCommand.which("ip") ?? "/usr/sbin/ip", "netns", "exec", ns] + arguments
    }

    /// Removes the namespaces now (also done by ``Teardown``).
    public func remove() {
        for n in ([hub] + hosts.map(\.namespace)).compactMap({ $0 }) { _ = try? SystemCommand.run(["ip", "netns", "del", n]) }
    }

    /// Namespaces named `caplab-<runID>-*` that exist now (for tests and `status`).
    public func existingNamespaces() -> [String] {
        let out = (try? SystemCommand.run(["ip", "netns", "list"]).output) ?? ""
        return out.split(separator: "\n").map { String($0.split(separator: " ")[0]) }.filter { $0.hasPrefix("caplab-\(runID)-") }
    }

    // MARK: Partitions

    /// Drops traffic between the two groups of hosts. Symmetric: both ways;
    /// one-way: packets from `from` are dropped on arrival at `to` (replies
    /// in the other direction still leave, which breaks TCP both ways but
    /// lets UDP and in-flight data from `to` through).
    public func partition(_ from: [Int], _ to: [Int], symmetric: Bool = true) throws {
        guard isolated else { throw EngineError("partitions need network namespaces: \(Self.fallbackReason ?? "")") }
        for b in to {
            for a in from {
                try SystemCommand.check(["ip", "netns", "exec", hosts[b].namespace!, "iptables", "-A", Self.chain, "-s", hosts[a].address, "-j", "DROP"])
                if symmetric {
                    try SystemCommand.check(["ip", "netns", "exec", hosts[a].namespace!, "iptables", "-A", Self.chain, "-s", hosts[b].address, "-j", "DROP"])
                }
            }
        }
    }

    /// Isolates `group` from every other host, both ways.
    public func isolate(_ group: [Int]) throws {
        try partition(group, hosts.map(\.index).filter { !group.contains($0) })
    }

    /// Removes every partition rule.
    public func heal() throws {
        guard isolated else { return }
        for host in hosts { try SystemCommand.check(["ip", "netns", "exec", host.namespace!, "iptables", "-F", Self.chain]) }
    }

    /// Partition rules in place now, per host (for tests and `status`).
    public func ruleCount() -> Int {
        guard isolated else { return 0 }
        var n = 0
        for host in hosts {
            let out = (try? SystemCommand.run(["ip", "netns", "exec", host.namespace!, "iptables", "-S", Self.chain]).output) ?? ""
            n += out.split(separator: "\n").filter { $0.hasPrefix("-A") }.count
        }
        return n
    }

    // MARK: Sockets inside a namespace

    /// glibc declares setns(2) only with _GNU_SOURCE, which Swift's Glibc module does not set: look it up.
    typealias SetNS = @convention(c) (Int32, Int32) -> Int32
    static let setns: SetNS? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setns").map { unsafeBitCast($0, to: SetNS.self) }
    static let cloneNewNet: Int32 = 0x4000_0000  // CLONE_NEWNET, <linux/sched.h>

    /// Runs `body` on this thread with the network namespace of `host`, then
    /// restores the thread's own: a socket created in `body` stays in that
    /// namespace (the proxy's and the clients' sockets are made this way, so
    /// they are subject to the host's partitions).
    public static func inNamespace<T>(of host: MemberHost, _ body: () throws -> T) throws -> T {
        guard let ns = host.namespace else { return try body() }
        let own = open("/proc/thread-self/ns/net", O_RDONLY)
        guard own >= 0 else { throw EngineError("cannot open this thread's network namespace") }
        defer { close(own) }
        let target = open("/var/run/netns/\(ns)", O_RDONLY)
        guard target >= 0 else { throw EngineError("network namespace \(ns) does not exist") }
        defer { close(target) }
        guard let setns = Self.setns else { throw EngineError("setns(2) is not available in this C library") }
        guard setns(target, Self.cloneNewNet) == 0 else { throw EngineError("setns(\(ns)): \(String(cString: strerror(errno)))") }
        defer { _ = setns(own, Self.cloneNewNet) }
        return try body()
    }
}
