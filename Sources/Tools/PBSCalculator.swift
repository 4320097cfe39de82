import Foundation
import Lab
import Simulation
import Stats

/// `caplab pbs`: the PBS calculator. Validates a request, runs the WARS
/// Monte Carlo and renders the report as a table, one CSV row, or one JSON
/// object (the shapes issue 7 fixes; keys in the order given there).
public enum PBSCalculator {
    public enum Format: String, Sendable, CaseIterable {
        case table, csv, json
    }

    public struct Request: Sendable {
        public var model: String
        public var n: Int
        public var r: Int
        public var w: Int
        public var times: [Double]
        public var probability: Double
        public var trials: Int
        public var ks: [Int]
        public var seed: UInt64
        public var modelsFile: String?
        /// A topology (`--topology FILE`): then `model` names it, N is its replica count and the levels below apply.
        public var topology: Topology?
        public var readLevel: ConsistencyLevel?
        public var writeLevel: ConsistencyLevel?

        public init(model: String, n: Int, r: Int, w: Int, times: [Double] = [0, 1, 5, 10, 100], probability: Double = 0.999,
                    trials: Int = 1_000_000, ks: [Int] = [1, 2, 3], seed: UInt64 = 1, modelsFile: String? = nil) {
            self.model = model
            self.n = n
            self.r = r
            self.w = w
            self.times = times
            self.probability = probability
            self.trials = trials
            self.ks = ks
            self.seed = seed
            self.modelsFile = modelsFile
        }
    }

    public struct RequestError: Error, CustomStringConvertible {
        public let description: String
        /// The exit status: a bad flag value is a usage error (64), a bad
        /// --models file bad input data (65), an unreadable one I/O (74).
        public var status: ExitStatus = .usage
    }

    /// The most Monte Carlo trials: each keeps three doubles (24 bytes), so
    /// 10 million trials hold 240 MB.
    public static let maxTrials = 10_000_000
    /// The most replicas: each trial sorts N values, O(N²).
    public static let maxReplicas = 100
    /// The most trials × N² the calculator runs (about a minute on one core);
    /// beyond it, it asks for fewer trials instead of running for hours.
    public static let maxWork = 20_000_000_000

    /// Checks the request and runs it. Errors name the flag and what was expected.
    public static func run(_ request: Request) throws -> PBSReport {
        if let topology = request.topology { return try run(request, topology: topology) }
        let catalog: LatencyModelCatalog
        do {
            catalog = try request.modelsFile.map { try LatencyModelCatalog.load(path: $0) } ?? .bundled
        } catch let error as LatencyModelCatalog.LoadError {
            throw RequestError(description: "--models: \(error.description)", status: error.isUnreadable ? .ioError : .badInput)
        }
        guard let model = catalog.models[request.model] else {
            throw RequestError(description: "--model: unknown latency model '\(request.model)'; known: \(catalog.names.joined(separator: ", "))")
        }
        guard (1...maxReplicas).contains(request.n) else {
            throw RequestError(description: "-n: expected 1 ≤ N ≤ \(maxReplicas) replicas, got \(request.n)")
        }
        guard (1...request.n).contains(request.r) else { throw RequestError(description: "-r: expected 1 ≤ R ≤ N = \(request.n), got \(request.r)") }
        guard (1...request.n).contains(request.w) else { throw RequestError(description: "-w: expected 1 ≤ W ≤ N = \(request.n), got \(request.w)") }
        guard request.ks.allSatisfy({ $0 >= 1 }) else { throw RequestError(description: "--k: expected k ≥ 1 versions") }
        try checkCommon(request, n: request.n)
        var rng = Xoshiro256StarStar(seed: request.seed)
        let samples = PBSMonteCarlo(model: model, n: request.n, r: request.r, w: request.w).run(trials: request.trials, rng: &rng)
        var report = PBSReport(model: request.model, n: request.n, r: request.r, w: request.w, samples: samples,
                               times: request.times, probability: request.probability, ks: request.ks)
        report.topology = model.remoteDelayMs.map {
            "wan preset: two datacenters \(number($0)) ms apart one way, exactly one replica (chosen per operation) local to the coordinator, "
                + "the other N − 1 remote; use --topology FILE to place replicas per datacenter"
        } ?? "one datacenter: the coordinator and all N replicas in one site, no RTT"
        return report
    }

    static func checkCommon(_ request: Request, n: Int) throws {
        guard request.probability > 0 && request.probability < 1 else {
            throw RequestError(description: "--p: expected a probability strictly between 0 and 1, got \(request.probability)")
        }
        guard (1...maxTrials).contains(request.trials) else {
            throw RequestError(description: "--trials: expected 1 to \(maxTrials) trials (24 bytes each), got \(request.trials)")
        }
        guard request.trials * n * n <= maxWork else {
            throw RequestError(description: "--trials: \(request.trials) trials × N² = \(n * n) exceeds \(maxWork) steps (more than a minute); use at most \(maxWork / (n * n)) trials")
        }
        guard request.times.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw RequestError(description: "--t: expected times ≥ 0 ms after commit")
        }
    }

    /// `--topology`: the topology-aware Monte Carlo; levels default to the R and W counts.
    static func run(_ request: Request, topology: Topology) throws -> PBSReport {
        let n = topology.replicaCount
        guard (1...maxReplicas).contains(n) else {
            throw RequestError(description: "--topology: \(topology.name) places \(n) replicas; expected 1 to \(maxReplicas)")
        }
        let read = request.readLevel ?? .count(request.r)
        let write = request.writeLevel ?? .count(request.w)
        if let why = TopologyPBS.unservable(topology: topology, read: read, write: write) {
            throw RequestError(description: "--read-level/--write-level: \(why)")
        }
        try checkCommon(request, n: n)
        var rng = Xoshiro256StarStar(seed: request.seed)
        let samples = TopologyPBS(topology: topology, read: read, write: write)!.run(trials: request.trials, rng: &rng)
        let replicas = topology.replicasPerDatacenter
        let r = read.requirement(replicas: replicas, coordinator: 0)?.answers ?? 0
        let w = write.requirement(replicas: replicas, coordinator: 0)?.answers ?? 0
        // The closed-form k-staleness assumes random quorums in one site: not reported for a topology.
        var report = PBSReport(model: topology.name, n: n, r: r, w: w, samples: samples, times: request.times, probability: request.probability, ks: [])
        report.topology = "topology " + topology.summary
        report.readLevel = read.description
        report.writeLevel = write.description
        return report
    }

    /// `caplab pbs`: checks and runs the request and renders its report.
    public static func report(_ request: Request, as format: Format) throws -> String {
        render(try run(request), as: format)
    }

    public static func render(_ report: PBSReport, as format: Format) -> String {
        switch format {
        case .json: return json(report) + "\n"
        case .csv: return csv(report)
        case .table: return table(report)
        }
    }

    static func number(_ x: Double) -> String {
        if x.isInfinite { return x > 0 ? "1e308" : "-1e308" }
        return String(format: "%.6g", x)
    }

    static func tLabel(_ t: Double) -> String {
        t == t.rounded() ? String(Int(t)) : String(format: "%g", t).replacingOccurrences(of: ".", with: "_")
    }

    /// One object, keys in the issue's order.
    public static func json(_ r: PBSReport) -> String {
        let consistency = r.consistency.map { "{\"t_ms\": \(number($0.tMs)), \"p_consistent\": \(number($0.pConsistent))}" }
        let ks = r.kStaleness.map { "{\"k\": \($0.k), \"p_consistent\": \(number($0.pConsistent))}" }
        func percentiles(_ p: PBSReport.Percentiles) -> String {
            "{\"p50\": \(number(p.p50)), \"p99\": \(number(p.p99)), \"p99.9\": \(number(p.p999))}"
        }
        let t = r.tVisibility
        let name = escaped(r.model)
        return "{\"model\": \"\(name)\", \"n\": \(r.n), \"r\": \(r.r), \"w\": \(r.w), \"trials\": \(r.trials), "
            + "\"read_ms\": \(percentiles(r.read)), \"write_ms\": \(percentiles(r.write)), "
            + "\"consistency\": [\(consistency.joined(separator: ", "))], "
            + "\"t_visibility_ms\": {\"p\": \(number(t.p)), \"value\": \(number(t.value)), \"ci95\": [\(number(t.ciLow)), \(number(t.ciHigh))]}, "
            + "\"k_staleness\": [\(ks.joined(separator: ", "))], \"topology\": \"\(escaped(r.topology))\""
            + (r.readLevel.map { ", \"read_level\": \"\($0)\"" } ?? "") + (r.writeLevel.map { ", \"write_level\": \"\($0)\"" } ?? "") + "}"
    }

    /// A JSON string body (RFC 8259 §7): backslash, quote and every control character escaped.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The JSON fields flattened into one header row and one value row.
    public static func csv(_ r: PBSReport) -> String {
        var header = ["model", "n", "r", "w", "trials",
                      "read_ms_p50", "read_ms_p99", "read_ms_p99_9", "write_ms_p50", "write_ms_p99", "write_ms_p99_9"]
        var row = [r.model, String(r.n), String(r.r), String(r.w), String(r.trials),
                   number(r.read.p50), number(r.read.p99), number(r.read.p999),
                   number(r.write.p50), number(r.write.p99), number(r.write.p999)]
        for c in r.consistency {
            header.append("p_consistent_t_\(tLabel(c.tMs))_ms")
            row.append(number(c.pConsistent))
        }
        header += ["t_visibility_p", "t_visibility_ms", "t_visibility_ms_ci95_low", "t_visibility_ms_ci95_high"]
        row += [number(r.tVisibility.p), number(r.tVisibility.value), number(r.tVisibility.ciLow), number(r.tVisibility.ciHigh)]
        for k in r.kStaleness {
            header.append("p_consistent_k_\(k.k)")
            row.append(number(k.pConsistent))
        }
        header.append("topology")
        row.append(r.topology)
        return CSVTable(columns: header, rows: [row]).rendered()
    }

    public static func table(_ r: PBSReport) -> String {
        let levels = r.readLevel.map { "N=\(r.n) read \($0) write \(r.writeLevel ?? "")" } ?? "N=\(r.n) R=\(r.r) W=\(r.w)"
        var out = "PBS (WARS Monte Carlo, Bailis et al. PVLDB 2012): model \(r.model), \(levels), \(r.trials) trials\n"
        out += "assumes \(r.topology)\n\n"
        out += TextTable.render(CSVTable(columns: ["operation", "p50_ms", "p99_ms", "p99.9_ms"], rows: [
            ["read", number(r.read.p50), number(r.read.p99), number(r.read.p999)],
            ["write", number(r.write.p50), number(r.write.p99), number(r.write.p999)],
        ]))
        out += "\n"
        out += TextTable.render(CSVTable(
            columns: ["t_ms_after_commit", "p_consistent"],
            rows: r.consistency.map { [number($0.tMs), number($0.pConsistent)] }))
        let t = r.tVisibility
        out += "\nt-visibility for p=\(number(t.p)): \(number(t.value)) ms (95 % CI \(number(t.ciLow)) – \(number(t.ciHigh)) ms)\n"
        if r.kStaleness.isEmpty { return out }
        out += "\n"
        out += TextTable.render(CSVTable(
            columns: ["k_versions", "p_consistent_closed_form"],
            rows: r.kStaleness.map { [String($0.k), number($0.pConsistent)] }))
        return out
    }
}
