import Foundation
import Quorum
import Simulation
import Yams

/// Reading a ``Plan`` from its YAML file (`Benchmarks/Plans/*.yaml`): every
/// key is checked and an error names the file, the key and what was
/// expected (the scenario reader's standard, ``Scenario/Error``).
extension Plan {
    static let topKeys: Set<String> = ["name", "topology", "workload", "objectives", "cost", "search", "evaluation"]

    public static func load(path: String) throws -> Plan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Scenario.Error(file: path, key: "", message: "cannot read the file")
        }
        guard data.count <= 1 << 20 else { throw Scenario.Error(file: path, key: "", message: "expected a plan file under 1 MiB") }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    public static func parse(_ text: String, file: String) throws -> Plan {
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch {
            throw Scenario.Error(file: file, key: "", message: "not valid YAML: \(error)")
        }
        guard let top = root as? [String: Any] else {
            throw Scenario.Error(file: file, key: "", message: "expected a mapping of keys (topology, workload, objectives, cost, search, evaluation)")
        }
        let reader = Scenario.Reader(file: file)
        try reader.onlyKnown(top, topKeys, at: "")
        let topologyMap = try reader.mapping(top["topology"], "topology", optional: false)
        if let dcs = topologyMap["datacenters"] as? [Any] {
            for (i, dc) in dcs.enumerated() where (dc as? [String: Any])?["replicas"] != nil {
                throw reader.fail("topology.datacenters[\(i)].replicas", "not in a plan: search.replicas gives the replicas per datacenter")
            }
        }
        let topology = try TopologyReader.read(topologyMap, file: file, prefix: "topology.", defaultName: "topology")
        let names = topology.datacenters.map(\.name)
        guard names.count <= Plan.maxDatacenters else {
            throw reader.fail("topology.datacenters", "expected at most \(Plan.maxDatacenters) datacenters in a plan, got \(names.count)")
        }

        let workload = try reader.mapping(top["workload"], "workload", optional: true)
        try reader.onlyKnown(workload, ["write_fraction", "rate_per_s"], at: "workload.")
        let writeFraction = try reader.double(workload["write_fraction"], "workload.write_fraction", default: 0.5, min: 0)
        guard writeFraction <= 1 else { throw reader.fail("workload.write_fraction", "expected a fraction in [0, 1], got \(writeFraction)") }
        let rate = try reader.double(workload["rate_per_s"], "workload.rate_per_s", default: 1_000, min: 0.001)

        let objectives = try readObjectives(try reader.mapping(top["objectives"], "objectives", optional: false), names: names, reader: reader)

        let cost = try reader.mapping(top["cost"], "cost", optional: true)
        try reader.onlyKnown(cost, ["price_per_node"], at: "cost.")
        var prices = Array(repeating: 1.0, count: names.count)
        if let value = cost["price_per_node"] {
            if let m = value as? [String: Any] {
                for (name, price) in m {
                    guard let d = names.firstIndex(of: name) else {
                        throw reader.fail("cost.price_per_node.\(name)", "unknown datacenter; expected one of \(names.joined(separator: ", "))")
                    }
                    prices[d] = try reader.double(price, "cost.price_per_node.\(name)", default: 1, min: 0)
                }
            } else {
                let price = try reader.double(value, "cost.price_per_node", default: 1, min: 0)
                prices = Array(repeating: price, count: names.count)
            }
        }

        let search = try readSearch(try reader.mapping(top["search"], "search", optional: false), names: names, reader: reader)

        let evaluationMap = try reader.mapping(top["evaluation"], "evaluation", optional: true)
        try reader.onlyKnown(evaluationMap, ["trials", "confirm", "confirm_operations", "seed"], at: "evaluation.")
        var evaluation = Evaluation()
        evaluation.trials = try reader.int(evaluationMap["trials"], "evaluation.trials", default: evaluation.trials, min: 100)
        guard evaluation.trials <= 10_000_000 else { throw reader.fail("evaluation.trials", "expected at most 10 000 000 trials") }
        evaluation.confirm = try reader.int(evaluationMap["confirm"], "evaluation.confirm", default: evaluation.confirm, min: 0)
        evaluation.confirmOperations = try reader.int(evaluationMap["confirm_operations"], "evaluation.confirm_operations",
                                                      default: evaluation.confirmOperations, min: 10)
        guard evaluation.confirmOperations <= 1_000_000 else {
            throw reader.fail("evaluation.confirm_operations", "expected at most 1 000 000 operations")
        }
        evaluation.seed = UInt64(try reader.int(evaluationMap["seed"], "evaluation.seed", default: 1, min: 0))

        return Plan(name: try reader.string(top["name"], "name", default: ((file as NSString).lastPathComponent as NSString).deletingPathExtension),
                    topology: topology, writeFraction: writeFraction, ratePerSecond: rate, objectives: objectives, pricePerNode: prices,
                    search: search, evaluation: evaluation)
    }

    static func readObjectives(_ m: [String: Any], names: [String], reader: Scenario.Reader) throws -> Objectives {
        try reader.onlyKnown(m, ["read_p99_ms", "write_p99_ms", "read_p999_ms", "write_p999_ms", "p_consistent", "t_visibility", "survive",
                                 "lost_writes_at_most"], at: "objectives.")
        var o = Objectives()
        func ceiling(_ key: String) throws -> Double? {
            guard let value = m[key] else { return nil }
            return try reader.double(value, "objectives." + key, default: 0, min: 0)
        }
        o.readP99Ms = try ceiling("read_p99_ms")
        o.writeP99Ms = try ceiling("write_p99_ms")
        o.readP999Ms = try ceiling("read_p999_ms")
        o.writeP999Ms = try ceiling("write_p999_ms")
        if let value = m["p_consistent"] {
            let items = (value as? [Any]) ?? [value]
            for (i, item) in items.enumerated() {
                let key = "objectives.p_consistent[\(i)]"
                let entry = try reader.mapping(item, key, optional: false)
                try reader.onlyKnown(entry, ["t_ms", "at_least"], at: key + ".")
                guard entry["at_least"] != nil else { throw reader.fail(key + ".at_least", "missing; expected a probability in (0, 1]") }
                let p = try reader.double(entry["at_least"], key + ".at_least", default: 0, min: 0)
                guard p > 0 && p <= 1 else { throw reader.fail(key + ".at_least", "expected a probability in (0, 1], got \(p)") }
                o.consistency.append(ConsistencyFloor(tMs: try reader.double(entry["t_ms"], key + ".t_ms", default: 0, min: 0), atLeast: p))
            }
        }
        if let value = m["t_visibility"] {
            let entry = try reader.mapping(value, "objectives.t_visibility", optional: false)
            try reader.onlyKnown(entry, ["p", "at_most_ms"], at: "objectives.t_visibility.")
            let p = try reader.double(entry["p"], "objectives.t_visibility.p", default: 0.999, min: 0)
            guard p > 0 && p < 1 else { throw reader.fail("objectives.t_visibility.p", "expected a probability strictly between 0 and 1, got \(p)") }
            guard entry["at_most_ms"] != nil else { throw reader.fail("objectives.t_visibility.at_most_ms", "missing; expected a number of ms ≥ 0") }
            o.tVisibility = TVisibilityCeiling(p: p, atMostMs: try reader.double(entry["at_most_ms"], "objectives.t_visibility.at_most_ms", default: 0, min: 0))
        }
        for (i, item) in try reader.list(m["survive"], "objectives.survive").enumerated() {
            let key = "objectives.survive[\(i)]"
            let entry = try reader.mapping(item, key, optional: false)
            try reader.onlyKnown(entry, ["failure", "availability"], at: key + ".")
            let text = try reader.string(entry["failure"], key + ".failure", default: "")
            guard let failure = Failure(parsing: text) else {
                throw reader.fail(key + ".failure", "expected 'any K node(s)', 'datacenter NAME lost' or 'datacenter NAME partitioned', got '\(text)'")
            }
            // Availability under `any K` tries every spread of K failures over the datacenters
            // (at most C(K + D − 1, D − 1) per candidate): bounded so a plan answers in minutes.
            if case .anyNodes(let k) = failure, k > Plan.maxAnyNodes {
                throw reader.fail(key + ".failure", "expected 'any K nodes' with K ≤ \(Plan.maxAnyNodes), got \(k)")
            }
            if let name = failure.datacenterName, !names.contains(name) {
                throw reader.fail(key + ".failure", "unknown datacenter '\(name)'; expected one of \(names.joined(separator: ", "))")
            }
            let availability = try reader.double(entry["availability"], key + ".availability", default: 1, min: 0)
            guard availability <= 1 else { throw reader.fail(key + ".availability", "expected a fraction in [0, 1], got \(availability)") }
            o.survive.append(Survival(failure: failure, availability: availability))
        }
        if let value = m["lost_writes_at_most"] {
            let lost = try reader.double(value, "objectives.lost_writes_at_most", default: 0, min: 0)
            guard lost <= 1 else { throw reader.fail("objectives.lost_writes_at_most", "expected a fraction in [0, 1], got \(lost)") }
            o.lostWritesAtMost = lost
        }
        return o
    }

    static func readSearch(_ m: [String: Any], names: [String], reader: Scenario.Reader) throws -> SearchSpace {
        try reader.onlyKnown(m, ["replicas", "read_level", "write_level", "read_repair", "sloppy_quorum", "versioning"], at: "search.")
        let replicasMap = try reader.mapping(m["replicas"], "search.replicas", optional: false)
        var ranges: [ClosedRange<Int>] = []
        for name in names {
            let key = "search.replicas.\(name)"
            guard let value = replicasMap[name] else { throw reader.fail(key, "missing; expected a count or [min, max] of replicas in \(name)") }
            let bounds = try reader.ints(value, key, default: nil, min: 0)
            guard bounds.count <= 2, bounds.first! <= bounds.last!, bounds.last! <= 15 else {
                throw reader.fail(key, "expected a count or [min, max] with 0 ≤ min ≤ max ≤ 15, got \(bounds)")
            }
            ranges.append(bounds.first!...bounds.last!)
        }
        if let unknown = replicasMap.keys.sorted().first(where: { !names.contains($0) }) {
            throw reader.fail("search.replicas.\(unknown)", "unknown datacenter; expected one of \(names.joined(separator: ", "))")
        }
        guard ranges.contains(where: { $0.upperBound > 0 }) else { throw reader.fail("search.replicas", "empty search space: every range is 0 replicas") }
        func levels(_ key: String) throws -> [ConsistencyLevel] {
            guard let value = m[key] else { throw reader.fail("search." + key, "missing; expected a list of levels (\(ConsistencyLevel.names.joined(separator: ", ")) or counts)") }
            let items = (value as? [Any]) ?? [value]
            guard !items.isEmpty else { throw reader.fail("search." + key, "empty search space: expected at least one level") }
            return try items.map { item in
                guard let level = ConsistencyLevel(parsing: "\(item)") else {
                    throw reader.fail("search." + key, "expected a count ≥ 1 or one of \(ConsistencyLevel.names.joined(separator: ", ")), got '\(item)'")
                }
                return level
            }
        }
        var search = SearchSpace(replicas: ranges, readLevels: try levels("read_level"), writeLevels: try levels("write_level"))
        search.readRepairs = try reader.strings(m["read_repair"], "search.read_repair", default: ["off"]).map { name in
            guard let repair = QuorumConfiguration.ReadRepair(rawValue: name) else {
                throw reader.fail("search.read_repair", "expected off, blocking or background, got '\(name)'")
            }
            return repair
        }
        search.sloppy = try reader.bools(m["sloppy_quorum"], "search.sloppy_quorum", default: [false])
        guard !search.sloppy.isEmpty else { throw reader.fail("search.sloppy_quorum", "empty search space: expected true and/or false") }
        search.versionings = try reader.strings(m["versioning"], "search.versioning", default: ["lww"]).map { name in
            guard let v = Versioning(rawValue: name) else { throw reader.fail("search.versioning", "expected lww or vector-clocks, got '\(name)'") }
            return v
        }
        // The product saturates instead of trapping: 16 datacenters of 16 choices overflow Int.
        let factors = ranges.map(\.count) + [search.readLevels.count, search.writeLevels.count, search.readRepairs.count,
                                               search.sloppy.count, search.versionings.count]
        let size = factors.reduce(1) { product, factor in
            let (value, overflow) = product.multipliedReportingOverflow(by: factor)
            return overflow ? Int.max : value
        }
        guard size <= 20_000 else {
            throw reader.fail("search", "expected at most 20 000 candidates, the search space has \(size == Int.max ? "more than \(Int.max)" : String(size))")
        }
        return search
    }
}
