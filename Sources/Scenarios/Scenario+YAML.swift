import Foundation
import Quorum
import Simulation
import Stats
import Workload
import Yams

/// Reading a ``Scenario`` from its YAML file: every key is checked, and an
/// error names the file, the key and what was expected.
extension Scenario {
    static let topKeys: Set<String> = ["name", "operations", "quick_operations", "seed", "cluster", "timeout_ms", "grid", "workload", "faults", "models_file", "threads", "topology", "raft"]

    /// The largest scenario file read: scenarios are a page of keys; a
    /// bigger file is refused before it is parsed.
    public static let maxFileBytes = 1 << 20

    public static func load(path: String) throws -> Scenario {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maxFileBytes {
            throw Error(file: path, key: "", message: "\(size) bytes; a scenario file is at most \(maxFileBytes) bytes")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Error(file: path, key: "", message: "cannot read the file")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses a scenario; every error names the file, the `line:column`
    /// (from the YAML node marks) and the key.
    public static func parse(_ text: String, file: String) throws -> Scenario {
        guard text.utf8.count <= maxFileBytes else {
            throw Error(file: file, key: "", message: "\(text.utf8.count) bytes; a scenario file is at most \(maxFileBytes) bytes")
        }
        let root: Any?
        let positions: YAMLPositions
        do {
            positions = YAMLPositions(try Yams.compose(yaml: text))
            root = try Yams.load(yaml: text)
        } catch {
            let (position, problem) = YAMLPositions.describe(error)
            throw Error(file: file, key: "", message: "not valid YAML: \(problem)", line: position?.line, column: position?.column)
        }
        do {
            return try parse(root: root, file: file)
        } catch var error as Error where error.line == nil && !error.key.isEmpty {
            let position = positions.position(of: error.key)
            error.line = position?.line
            error.column = position?.column
            throw error
        }
    }

    static func parse(root: Any?, file: String) throws -> Scenario {
        guard let top = root as? [String: Any] else {
            throw Error(file: file, key: "", message: "expected a mapping of keys (name, operations, cluster, grid, workload, faults, …)")
        }
        let reader = Reader(file: file)
        try reader.onlyKnown(top, Self.topKeys, at: "")
        let cluster = try reader.mapping(top["cluster"], "cluster", optional: true)
        try reader.onlyKnown(cluster, ["nodes", "virtual_nodes", "clock_skew_ms", "clock_drift"], at: "cluster.")
        let grid = try reader.mapping(top["grid"], "grid", optional: false)
        try reader.onlyKnown(grid, ["n", "r", "w", "model", "read_repair", "sloppy_quorum", "protocol", "versioning", "read_mode", "pre_vote", "check_quorum"], at: "grid.")
        let workload = try reader.mapping(top["workload"], "workload", optional: true)
        try reader.onlyKnown(workload, ["mode", "think_ms", "rate_per_s", "write_fraction", "keys", "key_distribution", "zipf_theta", "clients",
                                        "read_before_write"], at: "workload.")
        let faults = try reader.mapping(top["faults"], "faults", optional: true)
        try reader.onlyKnown(faults, ["loss", "partitions", "crashes"], at: "faults.")

        var catalog = LatencyModelCatalog.bundled
        if let modelsFile = top["models_file"] {
            guard let relative = modelsFile as? String else { throw Error(file: file, key: "models_file", message: "expected a path") }
            let path = relative.hasPrefix("/") ? relative : ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(relative)
            do { catalog = try LatencyModelCatalog.load(path: path) } catch let error as LatencyModelCatalog.LoadError {
                throw Error(file: file, key: "models_file", message: error.description)
            }
        }

        let operations = try reader.int(top["operations"], "operations", default: 5_000, min: 1, max: Limits.operations)
        let topology = try top["topology"].map { try readTopology($0, grid: grid, cluster: cluster, reader: reader) }
        let nodes = try topology.map(\.replicaCount) ?? reader.int(cluster["nodes"], "cluster.nodes", default: 6, min: 1, max: Limits.nodes)
        let ns = try reader.ints(grid["n"], "grid.n", default: [3], min: 1)
        for n in ns where n > nodes {
            throw Error(file: file, key: "grid.n", message: "N = \(n) exceeds cluster.nodes = \(nodes)")
        }
        let models = try topology.map { [$0.name] } ?? reader.strings(grid["model"], "grid.model", default: ["lnkd-ssd"])
        for model in models where catalog.models[model] == nil && topology == nil {
            throw Error(file: file, key: "grid.model", message: "unknown latency model '\(model)'; known: \(catalog.names.joined(separator: ", "))")
        }
        let repairs = try reader.strings(grid["read_repair"], "grid.read_repair", default: ["off"]).map { name in
            guard let repair = QuorumConfiguration.ReadRepair(rawValue: name) else {
                throw Error(file: file, key: "grid.read_repair", message: "expected off, blocking or background, got '\(name)'")
            }
            return repair
        }
        let distribution: KeyDistribution.Kind
        switch try reader.string(workload["key_distribution"], "workload.key_distribution", default: "zipfian") {
        case "uniform": distribution = .uniform
        case "latest": distribution = .latest
        case "zipfian":
            let theta = try reader.double(workload["zipf_theta"], "workload.zipf_theta", default: 0.99, min: 0)
            guard theta > 0 && theta < 1 else { throw Error(file: file, key: "workload.zipf_theta", message: "expected 0 < θ < 1, got \(theta)") }
            distribution = .zipfian(theta: theta)
        case let other: throw Error(file: file, key: "workload.key_distribution", message: "expected uniform, zipfian or latest, got '\(other)'")
        }
        let writeFraction = try reader.double(workload["write_fraction"], "workload.write_fraction", default: 0.5, min: 0)
        guard writeFraction <= 1 else { throw Error(file: file, key: "workload.write_fraction", message: "expected a fraction in [0, 1]") }
        let mode = try reader.string(workload["mode"], "workload.mode", default: "open")
        guard mode == "open" || mode == "closed" else {
            throw Error(file: file, key: "workload.mode", message: "expected open (Poisson arrivals at rate_per_s) or closed (clients wait, then think_ms), got '\(mode)'")
        }
        let loss = try reader.double(faults["loss"], "faults.loss", default: 0, min: 0)
        guard loss < 1 else { throw Error(file: file, key: "faults.loss", message: "expected a probability below 1") }

        var partitions: [NetworkModel.Partition] = []
        for (i, item) in try reader.list(faults["partitions"], "faults.partitions").enumerated() {
            let key = "faults.partitions[\(i)]"
            let m = try reader.mapping(item, key, optional: false)
            try reader.onlyKnown(m, ["start_ms", "end_ms", "isolated"], at: key + ".")
            let start = try reader.double(m["start_ms"], key + ".start_ms", default: 0, min: 0)
            let end = try reader.double(m["end_ms"], key + ".end_ms", default: .infinity, min: start)
            let isolated = try reader.ints(m["isolated"], key + ".isolated", default: nil, min: 0)
            for node in isolated where node >= nodes {
                throw Error(file: file, key: key + ".isolated", message: "node \(node) does not exist (cluster.nodes = \(nodes))")
            }
            partitions.append(.init(startNanoseconds: nanoseconds(start), endNanoseconds: nanoseconds(end), isolated: isolated))
        }
        var crashes: [NetworkModel.Crash] = []
        for (i, item) in try reader.list(faults["crashes"], "faults.crashes").enumerated() {
            let key = "faults.crashes[\(i)]"
            let m = try reader.mapping(item, key, optional: false)
            try reader.onlyKnown(m, ["node", "start_ms", "end_ms"], at: key + ".")
            let node = try reader.int(m["node"], key + ".node", default: nil, min: 0)
            guard node < nodes else { throw Error(file: file, key: key + ".node", message: "node \(node) does not exist (cluster.nodes = \(nodes))") }
            let start = try reader.double(m["start_ms"], key + ".start_ms", default: 0, min: 0)
            let end = try reader.double(m["end_ms"], key + ".end_ms", default: .infinity, min: start)
            crashes.append(.init(node: node, startNanoseconds: nanoseconds(start), endNanoseconds: nanoseconds(end)))
        }

        let threads = try reader.mapping(top["threads"], "threads", optional: true)
        try reader.onlyKnown(threads, ["clients", "replicas"], at: "threads.")
        let protocols = try reader.strings(grid["protocol"], "grid.protocol", default: ["dynamo"]).map { name in
            guard let p = ReplicationProtocol(rawValue: name) else {
                throw Error(file: file, key: "grid.protocol", message: "expected \(ReplicationProtocol.namesForMessages), got '\(name)'")
            }
            return p
        }

        let versionings = try reader.strings(grid["versioning"], "grid.versioning", default: ["lww"]).map { name in
            guard let v = Versioning(rawValue: name) else {
                throw Error(file: file, key: "grid.versioning", message: "expected lww or vector-clocks, got '\(name)'")
            }
            return v
        }

        var scenario = Scenario(
            name: try reader.string(top["name"], "name", default: (file as NSString).lastPathComponent),
            operations: operations,
            quickOperations: try reader.int(top["quick_operations"], "quick_operations", default: max(1, operations / 10), min: 1, max: Limits.operations),
            seed: UInt64(try reader.int(top["seed"], "seed", default: 1, min: 0)),
            nodes: nodes,
            virtualNodes: try reader.int(cluster["virtual_nodes"], "cluster.virtual_nodes", default: 16, min: 1, max: Limits.virtualNodes),
            clockSkewMs: try reader.double(cluster["clock_skew_ms"], "cluster.clock_skew_ms", default: 0, min: 0),
            timeoutMs: try reader.double(top["timeout_ms"], "timeout_ms", default: 1_000, min: 0.001),
            ns: ns,
            rs: try reader.ints(grid["r"], "grid.r", default: [1], min: 1),
            ws: try reader.ints(grid["w"], "grid.w", default: [1], min: 1),
            models: models,
            readRepairs: repairs,
            sloppy: try reader.bools(grid["sloppy_quorum"], "grid.sloppy_quorum", default: [false]),
            ratePerSecond: try reader.double(workload["rate_per_s"], "workload.rate_per_s", default: 1_000, min: 0.001),
            writeFraction: writeFraction,
            keys: try reader.int(workload["keys"], "workload.keys", default: 1_000, min: 1, max: Limits.keys),
            keyDistribution: distribution,
            clients: try reader.int(workload["clients"], "workload.clients", default: 16, min: 1, max: Limits.clients),
            closedLoop: mode == "closed",
            thinkMs: try reader.double(workload["think_ms"], "workload.think_ms", default: 0, min: 0),
            loss: loss,
            partitions: partitions,
            crashes: crashes,
            modelCatalog: catalog)
        scenario.topology = topology
        scenario.protocols = protocols
        scenario.versionings = versionings
        let readBeforeWrite = try reader.bools(workload["read_before_write"], "workload.read_before_write", default: [false])
        guard readBeforeWrite.count == 1 else {
            throw Error(file: file, key: "workload.read_before_write", message: "expected true or false (one value, not a list)")
        }
        scenario.readBeforeWrite = readBeforeWrite[0]
        scenario.raftReadModes = try reader.strings(grid["read_mode"], "grid.read_mode", default: ["read_index"]).map { name in
            guard let mode = RaftConfiguration.ReadMode(rawValue: name) else {
                throw Error(file: file, key: "grid.read_mode", message: "expected log, read_index, lease or follower, got '\(name)'")
            }
            return mode
        }
        scenario.raftPreVote = try reader.bools(grid["pre_vote"], "grid.pre_vote", default: [false])
        scenario.raftCheckQuorum = try reader.bools(grid["check_quorum"], "grid.check_quorum", default: [false])
        let raft = try reader.mapping(top["raft"], "raft", optional: true)
        try reader.onlyKnown(raft, ["election_timeout_ms", "heartbeat_ms", "max_clock_drift", "durability", "log_directory"], at: "raft.")
        let election = try reader.double(raft["election_timeout_ms"], "raft.election_timeout_ms", default: 150, min: 0.001)
        let heartbeat = try reader.double(raft["heartbeat_ms"], "raft.heartbeat_ms", default: 50, min: 0.001)
        let drift = try reader.double(raft["max_clock_drift"], "raft.max_clock_drift", default: 0.01, min: 0)
        guard drift < 1 else { throw Error(file: file, key: "raft.max_clock_drift", message: "expected a rate in [0, 1), got \(drift)") }
        let durabilityName = try reader.string(raft["durability"], "raft.durability", default: "memory")
        guard let durability = RaftConfiguration.Durability(rawValue: durabilityName) else {
            throw Error(file: file, key: "raft.durability", message: "expected memory, none, fsync or group, got '\(durabilityName)'")
        }
        var logDirectory: String?
        if raft["log_directory"] != nil {
            logDirectory = try reader.string(raft["log_directory"], "raft.log_directory", default: "")
            if logDirectory!.isEmpty { throw Error(file: file, key: "raft.log_directory", message: "expected a directory path") }
            if !logDirectory!.hasPrefix("/") { logDirectory = ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(logDirectory!) }
        }
        scenario.raft = RaftConfiguration(electionTimeoutNanoseconds: Self.nanoseconds(election), heartbeatIntervalNanoseconds: Self.nanoseconds(heartbeat),
                                          maxClockDrift: drift, durability: durability, logDirectory: logDirectory)
        scenario.clockDrift = try reader.double(cluster["clock_drift"], "cluster.clock_drift", default: 0, min: 0)
        guard scenario.clockDrift < 1 else { throw Error(file: file, key: "cluster.clock_drift", message: "expected a rate in [0, 1), got \(scenario.clockDrift)") }
        scenario.clientThreads = try reader.int(threads["clients"], "threads.clients", default: 2, min: 1, max: Limits.threads)
        scenario.replicaThreads = try reader.int(threads["replicas"], "threads.replicas", default: 2, min: 1, max: Limits.threads)
        let points = ScenarioRunner.combinationCount(scenario)
        guard points <= Limits.gridPoints else {
            throw Error(file: file, key: "grid", message: "\(points) combinations; a scenario runs at most \(Limits.gridPoints) (split the grid over several files)")
        }
        return scenario
    }

    /// The bounds on every size a scenario can state (README, "Limits"):
    /// each keeps memory bounded and a run within hours at most; the
    /// simulator streams its operations, so `operations` bounds time only.
    public enum Limits {
        public static let nodes = 1_000
        public static let virtualNodes = 10_000
        public static let operations = 100_000_000
        public static let keys = 100_000_000
        public static let clients = 100_000
        public static let threads = 256
        public static let gridPoints = 10_000
        /// Any other integer (seed, node index).
        public static let integer = Int(Int64.max)
    }

    static func nanoseconds(_ ms: Double) -> Int64 { ms.isInfinite ? .max : Int64((ms * 1e6).rounded()) }

    /// Typed access to YAML values; every failure names the key.
    struct Reader {
        let file: String

        func fail(_ key: String, _ message: String) -> Error { Error(file: file, key: key, message: message) }

        func onlyKnown(_ m: [String: Any], _ known: Set<String>, at prefix: String) throws {
            if let unknown = m.keys.sorted().first(where: { !known.contains($0) }) {
                throw fail(prefix + unknown, "unknown key; expected one of \(known.sorted().joined(separator: ", "))")
            }
        }

        func mapping(_ value: Any?, _ key: String, optional: Bool) throws -> [String: Any] {
            guard let value else {
                if optional { return [:] }
                throw fail(key, "missing; expected a mapping")
            }
            guard let m = value as? [String: Any] else { throw fail(key, "expected a mapping") }
            return m
        }

        func list(_ value: Any?, _ key: String) throws -> [Any] {
            guard let value else { return [] }
            guard let l = value as? [Any] else { throw fail(key, "expected a list") }
            return l
        }

        func int(_ value: Any?, _ key: String, default fallback: Int?, min: Int, max: Int = Limits.integer) throws -> Int {
            let expected = max == Limits.integer ? "an integer ≥ \(min)" : "an integer from \(min) to \(max)"
            guard let value else {
                if let fallback { return fallback }
                throw fail(key, "missing; expected \(expected)")
            }
            guard let i = value as? Int, i >= min, i <= max else { throw fail(key, "expected \(expected), got '\(String(describing: value).prefix(40))'") }
            return i
        }

        func double(_ value: Any?, _ key: String, default fallback: Double, min: Double) throws -> Double {
            guard let value else { return fallback }
            let d = (value as? Double) ?? (value as? Int).map(Double.init)
            // The bound keeps milliseconds convertible to Int64 nanoseconds with room to spare.
            guard let d, d.isFinite, d >= min, d <= 1e9 else { throw fail(key, "expected a finite number from \(min) to 1e9, got '\(value)'") }
            return d
        }

        func string(_ value: Any?, _ key: String, default fallback: String) throws -> String {
            guard let value else { return fallback }
            if let b = value as? Bool, !b { return "off" } // YAML 1.1 reads a bare `off` as false
            guard let s = value as? String else { throw fail(key, "expected a string, got '\(value)'") }
            return s
        }

        /// A scalar or a list of scalars (a grid axis).
        func axis(_ value: Any?) -> [Any]? {
            guard let value else { return nil }
            return (value as? [Any]) ?? [value]
        }

        func ints(_ value: Any?, _ key: String, default fallback: [Int]?, min: Int) throws -> [Int] {
            guard let items = axis(value) else {
                if let fallback { return fallback }
                throw fail(key, "missing; expected an integer or a list of integers")
            }
            guard !items.isEmpty else { throw fail(key, "expected at least one value") }
            return try items.map { try int($0, key, default: nil, min: min) }
        }

        func strings(_ value: Any?, _ key: String, default fallback: [String]) throws -> [String] {
            guard let items = axis(value) else { return fallback }
            guard !items.isEmpty else { throw fail(key, "expected at least one value") }
            return try items.map { try string($0, key, default: "") }
        }

        func bools(_ value: Any?, _ key: String, default fallback: [Bool]) throws -> [Bool] {
            guard let items = axis(value) else { return fallback }
            return try items.map {
                guard let b = $0 as? Bool else { throw fail(key, "expected true or false, got '\($0)'") }
                return b
            }
        }
    }
}
