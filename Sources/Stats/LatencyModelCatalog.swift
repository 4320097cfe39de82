import Foundation

/// Named ``LatencyModel``s read from a JSON file shaped like the project's
/// `latency-models.json`:
///
/// ```json
/// {"models": {"NAME": {"source": "…",
///     "W": [{"weight": 0.9, "pareto": {"xm": 0.2, "alpha": 10}}, {"weight": 0.1, "exponential": {"lambda": 1.6}}],
///     "A": "same as W", "R": "as OTHER W", "S": {"log_normal": {"mu": 0, "sigma": 1}}},
///   "WAN": {"base": "NAME", "remote_delay_ms": 75}}}
/// ```
///
/// A leg is a list of weighted components, one component object, or a
/// reference: `"same as X"` (another leg of this model) or `"as MODEL X"`.
/// Families: `constant {ms}`, `uniform {low, high}`, `exponential {lambda}`,
/// `pareto {xm, alpha}`, `log_normal {mu, sigma}`, `empirical {csv}` (a path
/// relative to the JSON file, read by ``EmpiricalCSV``). A model with `base`
/// is the base model across two datacenters; its extra delay is
/// `remote_delay_ms`, or the `+N ms` its `rule` text states. `base` names a
/// model of the same file or, in a file read with ``load(path:)``, a built-in
/// preset (`lnkd-ssd`, `lnkd-disk`, `ymmr`, `wan`); a model of the file
/// shadows a preset of the same name.
public struct LatencyModelCatalog: Sendable {
    public let models: [String: LatencyModel]

    public var names: [String] { models.keys.sorted() }

    public struct LoadError: Error, CustomStringConvertible, Equatable {
        public let source: String
        public let key: String
        public let message: String
        public var description: String { key.isEmpty ? "\(source): \(message)" : "\(source): \(key): \(message)" }
        /// The file could not be read at all (an I/O error, not bad content).
        public var isUnreadable: Bool { key.isEmpty && message == "cannot read the file" }
    }

    /// The presets compiled into the lab: `lnkd-ssd`, `lnkd-disk`, `ymmr`, `wan`.
    public static let bundled: LatencyModelCatalog = {
        do {
            return try LatencyModelCatalog(json: Data(bundledJSON.utf8), source: "bundled latency-models.json")
        } catch {
            preconditionFailure("the bundled latency models do not parse: \(error)")
        }
    }()

    public static func load(path: String) throws -> LatencyModelCatalog {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(source: path, key: "", message: "cannot read the file")
        }
        return try LatencyModelCatalog(json: data, source: path, directory: (path as NSString).deletingLastPathComponent,
                                       presets: bundled.models)
    }

    /// - Parameter presets: models a `base` may name besides the file's own (the built-in presets for a user's file).
    public init(json: Data, source: String, directory: String = ".", presets: [String: LatencyModel] = [:]) throws {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: json)
        } catch {
            throw LoadError(source: Self.position(of: error, in: json).map { "\(source):\($0.line):\($0.column)" } ?? source,
                            key: "", message: "not valid JSON (\((error as NSError).userInfo["NSDebugDescription"] as? String ?? error.localizedDescription))")
        }
        guard let modelsObject = (root as? [String: Any])?["models"] as? [String: Any] else {
            throw LoadError(source: source, key: "models", message: "expected an object of named models at the top level")
        }
        var parser = Parser(raw: modelsObject, source: source, directory: directory, presets: presets)
        var models: [String: LatencyModel] = [:]
        for name in modelsObject.keys.sorted() {
            models[name] = try parser.model(name)
        }
        self.models = models
    }

    /// Where a JSONSerialization error lies, as 1-based line and column: it
    /// names a byte offset ("around character N"), which is mapped here.
    static func position(of error: Error, in json: Data) -> (line: Int, column: Int)? {
        guard let text = (error as NSError).userInfo["NSDebugDescription"] as? String,
              let match = text.firstMatch(of: /around (?:character|line) (\d+)/), let offset = Int(match.1) else { return nil }
        let prefix = json.prefix(min(offset, json.count))
        let line = prefix.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        let lineStart = prefix.lastIndex(of: 0x0A).map { $0 + 1 } ?? prefix.startIndex
        return (line, prefix.endIndex - lineStart + 1)
    }

    public func model(named name: String) throws -> LatencyModel {
        guard let model = models[name] else {
            throw LoadError(source: "models", key: name, message: "no such latency model; known: \(names.joined(separator: ", "))")
        }
        return model
    }

    /// Resolves legs and references; every error names the model and leg.
    struct Parser {
        let raw: [String: Any]
        let source: String
        let directory: String
        /// Built-in models a `base` may name when the file has no model of that name.
        let presets: [String: LatencyModel]
        var resolving: Set<String> = []
        /// Models whose `base` chain is being followed: a name met twice is a cycle.
        var basing: [String] = []

        static let legs = ["W", "A", "R", "S"]

        mutating func model(_ name: String) throws -> LatencyModel {
            guard let object = raw[name] as? [String: Any] else {
                throw LoadError(source: source, key: "models.\(name)", message: "expected an object with legs W, A, R, S (or a base)")
            }
            let sourceText = object["source"] as? String ?? ""
            if let base = object["base"] {
                guard let baseName = base as? String, raw[baseName] != nil || presets[baseName] != nil, baseName != name else {
                    let presetNames = presets.keys.sorted().joined(separator: ", ")
                    throw LoadError(source: source, key: "models.\(name).base",
                                    message: "expected the name of another model in this file" + (presetNames.isEmpty ? "" : " or a built-in preset (\(presetNames))"))
                }
                if let start = basing.firstIndex(of: name) {
                    let cycle = (basing[start...] + [name]).joined(separator: " → ")
                    throw LoadError(source: source, key: "models.\(name).base", message: "base models form a cycle: \(cycle)")
                }
                let delay = try remoteDelay(object, model: name)
                basing.append(name)
                defer { basing.removeLast() }
                let b = try raw[baseName] != nil ? model(baseName) : presets[baseName]!
                return LatencyModel(name: name, source: sourceText, write: b.write, writeAck: b.writeAck,
                                    read: b.read, readResponse: b.readResponse, remoteDelayMs: delay)
            }
            let w = try leg(model: name, leg: "W")
            let a = try leg(model: name, leg: "A")
            let r = try leg(model: name, leg: "R")
            let s = try leg(model: name, leg: "S")
            return LatencyModel(name: name, source: sourceText, write: w, writeAck: a, read: r, readResponse: s)
        }

        func remoteDelay(_ object: [String: Any], model: String) throws -> Double {
            if let value = object["remote_delay_ms"] {
                guard let number = value as? Double, number >= 0 else {
                    throw LoadError(source: source, key: "models.\(model).remote_delay_ms", message: "expected a number of ms ≥ 0")
                }
                return number
            }
            if let rule = object["rule"] as? String,
               let match = rule.firstMatch(of: /\+\s*([0-9]+(?:\.[0-9]+)?)\s*ms/), let number = Double(match.1) {
                return number
            }
            throw LoadError(source: source, key: "models.\(model)", message: "a model with a base needs remote_delay_ms (or a rule stating '+N ms')")
        }

        mutating func leg(model: String, leg: String) throws -> LatencyDistribution {
            let key = "models.\(model).\(leg)"
            guard let object = raw[model] as? [String: Any] else {
                throw LoadError(source: source, key: "models.\(model)", message: "no such model")
            }
            guard let value = object[leg] else {
                throw LoadError(source: source, key: key, message: "missing; expected a distribution or a reference such as \"same as W\"")
            }
            guard !resolving.contains(key) else {
                throw LoadError(source: source, key: key, message: "references form a cycle")
            }
            resolving.insert(key)
            defer { resolving.remove(key) }
            if let reference = value as? String {
                let words = reference.split(separator: " ").map(String.init)
                if words.count == 3, words[0] == "same", words[1] == "as", Self.legs.contains(words[2]) {
                    return try self.leg(model: model, leg: words[2])
                }
                if words.count == 3, words[0] == "as", raw[words[1]] != nil, Self.legs.contains(words[2]) {
                    return try self.leg(model: words[1], leg: words[2])
                }
                throw LoadError(source: source, key: key, message: "expected \"same as W|A|R|S\" or \"as MODEL W|A|R|S\", got \"\(reference)\"")
            }
            if let list = value as? [[String: Any]], !list.isEmpty {
                var parts: [(weight: Double, family: LatencyDistribution.Family)] = []
                for (i, item) in list.enumerated() {
                    guard let weight = item["weight"] as? Double, weight > 0 else {
                        throw LoadError(source: source, key: "\(key)[\(i)].weight", message: "expected a weight > 0")
                    }
                    parts.append((weight, try family(item, key: "\(key)[\(i)]")))
                }
                return LatencyDistribution(mixture: parts)
            }
            if let single = value as? [String: Any] {
                return LatencyDistribution(try family(single, key: key))
            }
            throw LoadError(source: source, key: key, message: "expected a list of weighted components, one component, or a reference")
        }

        func family(_ item: [String: Any], key: String) throws -> LatencyDistribution.Family {
            func number(_ object: [String: Any], _ field: String, _ family: String, positive: Bool = true) throws -> Double {
                guard let value = object[field] as? Double, value.isFinite, positive ? value > 0 : value >= 0 else {
                    throw LoadError(source: source, key: "\(key).\(family).\(field)", message: positive ? "expected a number > 0" : "expected a number ≥ 0")
                }
                return value
            }
            let known = ["constant", "uniform", "exponential", "pareto", "log_normal", "empirical"]
            let present = known.filter { item[$0] != nil }
            guard present.count == 1, let name = present.first, let p = item[name] as? [String: Any] else {
                throw LoadError(source: source, key: key, message: "expected exactly one family object among \(known.joined(separator: ", "))")
            }
            switch name {
            case "constant": return .constant(try number(p, "ms", name, positive: false))
            case "uniform":
                let low = try number(p, "low", name, positive: false), high = try number(p, "high", name)
                guard high > low else { throw LoadError(source: source, key: "\(key).uniform", message: "expected high > low") }
                return .uniform(low: low, high: high)
            case "exponential": return .exponential(rate: try number(p, "lambda", name))
            case "pareto": return .pareto(scale: try number(p, "xm", name), shape: try number(p, "alpha", name))
            case "log_normal":
                guard let mu = p["mu"] as? Double, mu.isFinite else {
                    throw LoadError(source: source, key: "\(key).log_normal.mu", message: "expected a number")
                }
                return .logNormal(mu: mu, sigma: try number(p, "sigma", name))
            default:
                guard let csv = p["csv"] as? String else {
                    throw LoadError(source: source, key: "\(key).empirical.csv", message: "expected the path of a CSV of samples or percentiles")
                }
                let path = csv.hasPrefix("/") ? csv : (directory as NSString).appendingPathComponent(csv)
                do {
                    return .empirical(try EmpiricalCSV.load(path: path))
                } catch let error as EmpiricalCSV.ParseError {
                    throw LoadError(source: source, key: "\(key).empirical.csv", message: error.description)
                }
            }
        }
    }
}
