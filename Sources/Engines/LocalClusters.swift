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

    /// A private directory for state files: `/run/caplab` for root, else (or when that cannot be
    /// made) `caplab-state-<uid>` under the temporary directory; created with mode 0700 and used
    /// only when it is a real directory (not a symlink) owned by this user that nobody else can write.
    static func stateDirectory() throws -> String {
        let uid = geteuid()
        var candidates = [NSTemporaryDirectory() + "caplab-state-\(uid)"]
        if uid == 0 { candidates.insert("/run/caplab", at: 0) }
        var reasons: [String] = []
        for dir in candidates {
            if mkdir(dir, 0o700) != 0 && errno != EEXIST { reasons.append("\(dir): \(String(cString: strerror(errno)))"); continue }
            if let problem = privateProblem(dir, directory: true) { reasons.append(problem); continue }
            return dir
        }
        throw EngineError("no private directory for the cluster state: \(reasons.joined(separator: "; "))")
    }

    /// Why `path` (not followed if a symlink) is not this user's private directory or file, nil when it is.
    static func privateProblem(_ path: String, directory: Bool) -> String? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return "\(path): \(String(cString: strerror(errno)))" }
        let type = st.st_mode & S_IFMT
        if type != (directory ? S_IFDIR : S_IFREG) { return "\(path) is not a \(directory ? "directory" : "regular file")" }
        if st.st_uid != geteuid() { return "\(path) is owned by uid \(st.st_uid), not \(geteuid())" }
        if st.st_mode & 0o022 != 0 { return "\(path) is writable by group or others" }
        return nil
    }

    static func statePath(_ kind: Kind, in directory: String) -> String { directory + "/engine-\(kind.rawValue).json" }

    /// The recorded state, nil when there is none; throws when the file is not trustworthy.
    static func load(_ kind: Kind, in directory: String) throws -> State? {
        let path = statePath(kind, in: directory)
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw EngineError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_uid == geteuid(), st.st_mode & 0o022 == 0 else {
            throw EngineError("refusing \(path): not a regular file owned by uid \(geteuid()) and writable only by it")
        }
        let data = handle.readDataToEndOfFile()
        do { return try JSONDecoder().decode(State.self, from: data) } catch { throw EngineError("cannot read \(path): \(error)") }
    }

    /// Writes the state to a new file (created exclusively, never through a symlink) and renames it into place.
    static func save(_ state: State, _ kind: Kind, in directory: String) throws {
        let path = statePath(kind, in: directory)
        let temporary = path + ".\(getpid()).new"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw EngineError("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        let data = try JSONEncoder().encode(state)
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw EngineError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// The command line of a running process, its arguments joined by spaces, nil when it is gone.
    static func commandLine(_ pid: Int32) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
        return data.split(separator: 0, omittingEmptySubsequences: false).dropLast(data.last == 0 ? 1 : 0)
            .map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
    }

    /// Why `down` must not act on this state, nil when every namespace is `caplab-…`, the scratch
    /// directory is a `caplab-…` directory directly under the temporary directory, and the lists agree.
    static func refusal(_ state: State) -> String? {
        if state.pids.count != state.commands.count || state.pids.count != state.starts.count {
            return "the PID, command and start-time lists differ in length"
        }
        for ns in state.namespaces {
            if !ns.hasPrefix("caplab-") || ns.contains("/") || ns == "." || ns == ".." { return "namespace \(ns) is not one CAPLab names (caplab-…)" }
        }
        let temporary = URL(fileURLWithPath: NSTemporaryDirectory()).standardizedFileURL.path
        let scratch = URL(fileURLWithPath: state.scratch).standardizedFileURL
        if scratch.deletingLastPathComponent().path != temporary || !scratch.lastPathComponent.hasPrefix("caplab-") || state.scratch.contains("..") {
            return "scratch \(state.scratch) is not a caplab-… directory under \(temporary)"
        }
        return nil
    }

    /// Starts a cluster and leaves it running; returns its endpoints, one per line.
    public static func up(_ kind: Kind, members: Int) throws -> String {
        let directory = try stateDirectory()
        if let existing = try load(kind, in: directory) { throw EngineError("a local \(kind.rawValue) cluster is already up (\(existing.endpoints.joined(separator: " "))): `caplab engine down \(kind.rawValue)` first") }
        Teardown.shared.installSignalHandlers()
        var scratchPath: String?
        do {
            let network = try HostNetwork(count: members)
            let scratch = try Scratch.create(kind.rawValue, keep: true)
            scratchPath = scratch.path
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
            // What /proc/PID/cmdline says (`ip netns exec` has exec'd the server), which `down` compares.
            state.commands = processes.map { commandLine($0.pid) ?? $0.arguments.joined(separator: " ") }
            state.starts = processes.map { startTime($0.pid) ?? 0 }
            try save(state, kind, in: directory)
            var text = network.isolated ? "" : "note: \(HostNetwork.fallbackReason ?? "loopback")\n"
            text += "\(kind.rawValue): \(members) members up (PIDs \(state.pids.map(String.init).joined(separator: " ")))\n"
            if let ns = network.hosts.first?.namespace { text += "namespaces: \(ns.dropLast(3))-*; a client inside one: ip netns exec \(ns) …\n" }
            text += state.endpoints.joined(separator: "\n") + "\n"
            return text
        } catch {
            Teardown.shared.run()
            // The scratch directory was kept for a cluster that is not coming up.
            if let scratchPath { try? FileManager.default.removeItem(atPath: scratchPath) }
            unlink(statePath(kind, in: directory))
            throw error
        }
    }

    /// Which recorded processes still run, and what each member says about itself.
    public static func status(_ kind: Kind) -> String {
        let state: State
        do {
            guard let loaded = try load(kind, in: stateDirectory()) else { return "\(kind.rawValue): no local cluster (`caplab engine up \(kind.rawValue)`)\n" }
            state = loaded
        } catch { return "\(kind.rawValue): \(error)\n" }
        if let reason = refusal(state) { return "\(kind.rawValue): state file not used: \(reason)\n" }
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
        do { return down(kind, in: try stateDirectory()) } catch { return "\(kind.rawValue): \(error)\n" }
    }

    /// `down` with the state file in `directory`. Acts on nothing unless the whole state passes
    /// ``refusal(_:)``; kills only PIDs with the recorded start time and command line.
    static func down(_ kind: Kind, in directory: String) -> String {
        let state: State
        do {
            guard let loaded = try load(kind, in: directory) else { return "\(kind.rawValue): no local cluster\n" }
            state = loaded
        } catch { return "\(kind.rawValue): \(error)\n" }
        if let reason = refusal(state) {
            return "\(kind.rawValue): refusing the state file \(statePath(kind, in: directory)): \(reason); nothing stopped or removed\n"
        }
        var stopped = 0, skipped: [Int32] = []
        var targets: [(Int32, UInt64)] = []
        for (i, pid) in state.pids.enumerated() where isSame(pid, state.starts[i]) {
            guard commandLine(pid) == state.commands[i] else { skipped.append(pid); continue }
            kill(pid, SIGKILL)
            targets.append((pid, state.starts[i]))
            stopped += 1
        }
        _ = waitUntil(timeout: 10) { targets.allSatisfy { !isSame($0.0, $0.1) } }
        for ns in state.namespaces { _ = try? SystemCommand.run(["ip", "netns", "del", ns]) }
        try? FileManager.default.removeItem(atPath: state.scratch)
        unlink(statePath(kind, in: directory))
        var text = "\(kind.rawValue): stopped \(stopped) processes, removed \(state.namespaces.count) namespaces and \(state.scratch)\n"
        if !skipped.isEmpty { text += "  left alone (command line differs from the recorded one): PIDs \(skipped.map(String.init).joined(separator: " "))\n" }
        return text
    }
}
