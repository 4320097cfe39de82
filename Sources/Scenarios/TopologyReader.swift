import Foundation
import Simulation
import Stats
import Yams

/// Reading a ``Topology`` from YAML — a file of its own (`caplab pbs
/// --topology FILE`) or the `topology:` mapping of a scenario or plan file:
///
/// ```yaml
/// name: two-datacenters
/// datacenters:                 # in order; replicas are placed in this order
///   - {name: east, traffic: 0.5, replicas: 3, model: lnkd-ssd}
///   - {name: west, traffic: 0.5, replicas: 3, model: lnkd-ssd}
/// rtt_ms:                      # round trips, ms; by name, or rows in datacenter order
///   east: {east: 0.5, west: 40}
///   west: {east: 40, west: 0.5}   # an entry may be {csv: FILE} of measured samples
/// models_file: models.json     # optional; `model` may name a built-in preset or a model here
/// ```
///
/// Every error names the file, the key and what was expected.
public enum TopologyReader {
    static let keys: Set<String> = ["name", "datacenters", "rtt_ms", "models_file"]

    public static func load(path: String) throws -> Topology {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Scenario.Error(file: path, key: "", message: "cannot read the file")
        }
        let root: Any?
        do { root = try Yams.load(yaml: String(decoding: data, as: UTF8.self)) } catch {
            throw Scenario.Error(file: path, key: "", message: "not valid YAML: \(error)")
        }
        guard let top = root as? [String: Any] else {
            throw Scenario.Error(file: path, key: "", message: "expected a mapping with datacenters and rtt_ms")
        }
        return try read(top, file: path, prefix: "", defaultName: ((path as NSString).lastPathComponent as NSString).deletingPathExtension)
    }

    /// Reads `mapping`, whose keys are reported as `prefix` + key.
    static func read(_ mapping: [String: Any], file: String, prefix: String, defaultName: String) throws -> Topology {
        let reader = Scenario.Reader(file: file)
        try reader.onlyKnown(mapping, keys, at: prefix)
        var catalog = LatencyModelCatalog.bundled
        if let modelsFile = mapping["models_file"] {
            guard let relative = modelsFile as? String else { throw reader.fail(prefix + "models_file", "expected a path") }
            let path = relative.hasPrefix("/") ? relative : ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(relative)
            do { catalog = try LatencyModelCatalog.load(path: path) } catch let error as LatencyModelCatalog.LoadError {
                throw reader.fail(prefix + "models_file", error.description)
            }
        }
        let items = try reader.list(mapping["datacenters"], prefix + "datacenters")
        guard !items.isEmpty else { throw reader.fail(prefix + "datacenters", "missing; expected a list of datacenters (name, traffic, replicas, model)") }
        guard items.count <= 64 else { throw reader.fail(prefix + "datacenters", "expected at most 64 datacenters, got \(items.count)") }
        var datacenters: [Topology.Datacenter] = []
        for (i, item) in items.enumerated() {
            let key = prefix + "datacenters[\(i)]"
            let m = try reader.mapping(item, key, optional: false)
            try reader.onlyKnown(m, ["name", "traffic", "replicas", "model"], at: key + ".")
            guard let name = m["name"] as? String, !name.isEmpty else { throw reader.fail(key + ".name", "missing; expected a datacenter name") }
            guard !datacenters.contains(where: { $0.name == name }) else { throw reader.fail(key + ".name", "datacenter '\(name)' is named twice") }
            let modelName = try reader.string(m["model"], key + ".model", default: "lnkd-ssd")
            guard let model = catalog.models[modelName] ?? LatencyModelCatalog.bundled.models[modelName] else {
                throw reader.fail(key + ".model", "unknown latency model '\(modelName)'; known: \(catalog.names.joined(separator: ", "))")
            }
            guard model.remoteDelayMs == nil else {
                throw reader.fail(key + ".model", "'\(modelName)' is a two-datacenter model; give a datacenter its local model and put distances in rtt_ms")
            }
            datacenters.append(.init(name: name, trafficShare: try reader.double(m["traffic"], key + ".traffic", default: 1, min: 0),
                                     replicas: try reader.int(m["replicas"], key + ".replicas", default: 1, min: 0), service: model))
        }
        guard datacenters.contains(where: { $0.trafficShare > 0 }) else {
            throw reader.fail(prefix + "datacenters", "expected some datacenter with traffic > 0")
        }
        let rtt = try readRTT(mapping["rtt_ms"], names: datacenters.map(\.name), reader: reader, key: prefix + "rtt_ms")
        return Topology(name: try reader.string(mapping["name"], prefix + "name", default: defaultName), datacenters: datacenters, rtt: rtt)
    }

    /// The RTT matrix: a mapping of mappings by datacenter name, or a list
    /// of rows in datacenter order. With one datacenter it may be omitted (RTT 0).
    static func readRTT(_ value: Any?, names: [String], reader: Scenario.Reader, key: String) throws -> [[LatencyDistribution]] {
        let count = names.count
        guard let value else {
            if count == 1 { return [[LatencyDistribution(.constant(0))]] }
            throw reader.fail(key, "missing; expected the round-trip times between \(names.joined(separator: ", "))")
        }
        var matrix = [[LatencyDistribution?]](repeating: [LatencyDistribution?](repeating: nil, count: count), count: count)
        if let rows = value as? [Any] {
            guard rows.count == count else { throw reader.fail(key, "expected a square matrix: \(count) rows (one per datacenter), got \(rows.count)") }
            for (a, row) in rows.enumerated() {
                guard let cells = row as? [Any], cells.count == count else {
                    throw reader.fail("\(key)[\(a)]", "expected a square matrix: a row of \(count) round-trip times")
                }
                for (b, cell) in cells.enumerated() { matrix[a][b] = try entry(cell, reader: reader, key: "\(key)[\(a)][\(b)]") }
            }
        } else if let rows = value as? [String: Any] {
            for (from, row) in rows {
                guard let a = names.firstIndex(of: from) else {
                    throw reader.fail("\(key).\(from)", "unknown datacenter; expected one of \(names.joined(separator: ", "))")
                }
                guard let cells = row as? [String: Any] else { throw reader.fail("\(key).\(from)", "expected a mapping of datacenter: round-trip ms") }
                for (to, cell) in cells {
                    guard let b = names.firstIndex(of: to) else {
                        throw reader.fail("\(key).\(from).\(to)", "unknown datacenter; expected one of \(names.joined(separator: ", "))")
                    }
                    matrix[a][b] = try entry(cell, reader: reader, key: "\(key).\(from).\(to)")
                }
            }
            for a in 0..<count {
                for b in 0..<count where matrix[a][b] == nil {
                    throw reader.fail("\(key).\(names[a]).\(names[b])", "missing; expected the round-trip time from \(names[a]) to \(names[b]) (a square matrix)")
                }
            }
        } else {
            throw reader.fail(key, "expected a mapping by datacenter name or a list of rows")
        }
        return matrix.map { $0.map { $0! } }
    }

    /// A number of ms, or `{csv: FILE}` of measured round trips (drawn empirically).
    static func entry(_ value: Any, reader: Scenario.Reader, key: String) throws -> LatencyDistribution {
        if let m = value as? [String: Any] {
            try reader.onlyKnown(m, ["csv"], at: key + ".")
            guard let relative = m["csv"] as? String else { throw reader.fail(key + ".csv", "expected a path to a CSV of samples") }
            let path = relative.hasPrefix("/") ? relative : ((reader.file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(relative)
            do {
                return LatencyDistribution(.empirical(try EmpiricalCSV.load(path: path)))
            } catch let error as EmpiricalCSV.ParseError {
                throw reader.fail(key + ".csv", error.description)
            }
        }
        return LatencyDistribution(.constant(try reader.double(value, key, default: 0, min: 0)))
    }
}

extension Scenario {
    /// The scenario's `topology:` mapping: it fixes the nodes (one per replica) and the latency models,
    /// so `cluster.nodes` and `grid.model` must not be given; every datacenter with clients needs a node.
    static func readTopology(_ value: Any, grid: [String: Any], cluster: [String: Any], reader: Reader) throws -> Topology {
        let mapping = try reader.mapping(value, "topology", optional: false)
        let topology = try TopologyReader.read(mapping, file: reader.file, prefix: "topology.", defaultName: "topology")
        if cluster["nodes"] != nil { throw reader.fail("cluster.nodes", "not with topology: the nodes are the topology's replicas") }
        if grid["model"] != nil { throw reader.fail("grid.model", "not with topology: each datacenter names its model") }
        for dc in topology.datacenters where dc.trafficShare > 0 && dc.replicas == 0 {
            throw reader.fail("topology.datacenters", "\(dc.name) has clients but no replicas; the simulator coordinates on a node in the client's datacenter")
        }
        return topology
    }
}
