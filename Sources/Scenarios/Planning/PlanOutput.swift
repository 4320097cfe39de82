import Foundation
import Lab
import Simulation

/// `caplab plan`'s renderings of a ``PlanEvaluator/Answer``: the ranked
/// table (with model and simulator side by side), one CSV row per candidate
/// (the `plan-frontier` experiment's columns, drawn by
/// `plots-scripts/plan-frontier.gp`), and JSON.
public enum PlanOutput {
    public enum Format: String, Sendable, CaseIterable {
        case table, csv, json
    }

    static func number(_ x: Double) -> String {
        guard x.isFinite else { return x > 0 ? "inf" : "-inf" }
        return String(format: "%.4g", x)
    }

    static func percent(_ x: Double) -> String { String(format: "%.4g %%", x * 100) }

    public static let columns: [(name: String, meaning: String)] = [
        ("rank", "1 = best: meeting candidates cheapest first, then misses nearest first"),
        ("label", "the configuration: replicas per datacenter joined by +, read and write levels (and repair, sloppy, versioning when set)"),
        ("replicas", "replicas per datacenter in topology order, joined by +"),
        ("read_level", "read consistency level (a count or ONE, QUORUM, LOCAL_QUORUM, EACH_QUORUM, …)"),
        ("write_level", "write consistency level"),
        ("read_repair", "off, blocking or background (simulator only)"),
        ("sloppy_quorum", "1 with sloppy quorums and hinted handoff (simulator only)"),
        ("versioning", "lww or vector-clocks (simulator only)"),
        ("nodes", "replicas in all"),
        ("cost", "Σ replicas × price per node of their datacenter"),
        ("messages_per_op", "messages per client operation (requests and answers; writes to all N, reads to the replicas the level contacts)"),
        ("trials", "Monte Carlo trials behind the model numbers (more where an interval straddled an objective)"),
        ("read_p99_ms", "model read p99, ms"), ("read_p99_ci_low_ms", "95 % interval, low"), ("read_p99_ci_high_ms", "95 % interval, high"),
        ("write_p99_ms", "model write p99, ms"), ("write_p99_ci_low_ms", "95 % interval, low"), ("write_p99_ci_high_ms", "95 % interval, high"),
        ("read_p999_ms", "model read p99.9, ms"), ("write_p999_ms", "model write p99.9, ms"),
        ("p_consistent_t_ms", "time after commit of the first consistency objective (0 without one), ms"),
        ("p_consistent", "model P(a read started then sees the write)"),
        ("p_consistent_ci_low", "Wilson 95 % interval, low"), ("p_consistent_ci_high", "Wilson 95 % interval, high"),
        ("stale", "1 − p_consistent: the frontier's staleness axis"),
        ("availability", "failure=fraction of client requests served, exact from quorum arithmetic, ; separated"),
        ("meets_objectives", "1 when the candidate meets every objective"),
        ("frontier", "1 on the Pareto frontier of (cost, read p99, staleness)"),
        ("violations", "objective value>limit (or <) for each objective broken, ; separated"),
        ("sim_read_p99_ms", "simulator read p99 under the workload (confirmed candidates)"),
        ("sim_write_p99_ms", "simulator write p99"),
        ("sim_p_consistent", "simulator P(consistent) at p_consistent_t_ms (one write then one read)"),
        ("sim_availability", "failure=fraction served in the simulator with the failure as a fault schedule"),
        ("sim_lost_write_fraction", "acknowledged writes lost in the healthy simulator run"),
    ]

    public static func render(_ answer: PlanEvaluator.Answer, as format: Format) -> String {
        switch format {
        case .table: table(answer)
        case .csv: csv(answer).rendered()
        case .json: json(answer)
        }
    }

    static func availabilityText(_ r: PlanEvaluator.Result) -> String {
        r.availability.map { "\($0.failure)=\(number($0.answer.served))" }.joined(separator: ";")
    }

    static func violationText(_ v: PlanEvaluator.Violation) -> String {
        if v.objective == "servable" { return "unservable" }
        let floor = v.objective.hasPrefix("p_consistent") || v.objective.hasPrefix("survive")
        return "\(v.objective) \(number(v.value)) \(floor ? "<" : ">") \(number(v.limit))"
    }

    public static func csv(_ answer: PlanEvaluator.Answer) -> CSVTable {
        var table = CSVTable(columns: columns.map(\.name))
        let frontier = Set(answer.frontier)
        for (i, r) in answer.results.enumerated() {
            let c = r.candidate, m = r.model, s = r.confirmation
            func cell(_ x: Double?) -> String { x.map(number) ?? "" }
            let first = m?.consistency.first
            table.append([
                String(i + 1), c.label, c.replicas.map(String.init).joined(separator: "+"), c.readLevel.description, c.writeLevel.description,
                c.readRepair.rawValue, c.sloppy ? "1" : "0", c.versioning.rawValue, String(c.nodes), number(r.cost), number(r.messagesPerOperation),
                m.map { String($0.trials) } ?? "",
                cell(m?.readP99.value), cell(m?.readP99.low), cell(m?.readP99.high),
                cell(m?.writeP99.value), cell(m?.writeP99.low), cell(m?.writeP99.high),
                cell(m?.readP999.value), cell(m?.writeP999.value),
                cell(first?.tMs), cell(first?.p.value), cell(first?.p.low), cell(first?.p.high), cell(first.map { 1 - $0.p.value }),
                availabilityText(r), r.meetsObjectives ? "1" : "0", frontier.contains(i) ? "1" : "0",
                r.violations.map(violationText).joined(separator: ";"),
                cell(s?.readP99Ms), cell(s?.writeP99Ms), cell(s?.consistency.first?.p),
                s?.availability.map { "\($0.failure)=\(number($0.served))" }.joined(separator: ";") ?? "", cell(s?.lostWriteFraction),
            ])
        }
        return table
    }

    public static func json(_ answer: PlanEvaluator.Answer) -> String {
        let names = answer.plan.topology.datacenters.map(\.name)
        let frontier = Set(answer.frontier)
        func value(_ x: Double?) -> Any { x.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }
        let candidates: [[String: Any]] = answer.results.enumerated().map { i, r in
            let c = r.candidate
            var object: [String: Any] = [
                "rank": i + 1, "label": c.label,
                "replicas": Dictionary(uniqueKeysWithValues: zip(names, c.replicas)),
                "read_level": c.readLevel.description, "write_level": c.writeLevel.description,
                "read_repair": c.readRepair.rawValue, "sloppy_quorum": c.sloppy, "versioning": c.versioning.rawValue,
                "nodes": c.nodes, "cost": r.cost, "messages_per_op": r.messagesPerOperation,
                "read_p99_ms": value(r.model?.readP99.value), "write_p99_ms": value(r.model?.writeP99.value),
                "read_p999_ms": value(r.model?.readP999.value), "write_p999_ms": value(r.model?.writeP999.value),
                "p_consistent": (r.model?.consistency ?? []).map { ["t_ms": $0.tMs, "p": $0.p.value, "ci_low": $0.p.low, "ci_high": $0.p.high] },
                "availability": Dictionary(uniqueKeysWithValues: r.availability.map { ($0.failure.description, $0.answer.served) }),
                "meets_objectives": r.meetsObjectives, "on_frontier": frontier.contains(i),
                "violations": r.violations.map { ["objective": $0.objective, "limit": $0.limit, "value": $0.value, "excess": $0.excess] as [String: Any] },
                "unservable": r.unservable ?? NSNull(),
            ]
            if let m = r.model {
                object["trials"] = m.trials
                object["read_p99_ms_ci"] = [m.readP99.low, m.readP99.high]
                object["write_p99_ms_ci"] = [m.writeP99.low, m.writeP99.high]
                if let tv = m.tVisibility { object["t_visibility_ms"] = ["value": tv.value, "ci_low": tv.low, "ci_high": tv.high] }
            }
            if let s = r.confirmation {
                object["simulator"] = [
                    "operations": s.operations, "read_p99_ms": value(s.readP99Ms), "write_p99_ms": value(s.writeP99Ms),
                    "p_consistent": s.consistency.map { ["t_ms": $0.tMs, "p": $0.p] },
                    "availability": Dictionary(uniqueKeysWithValues: s.availability.map { ($0.failure, $0.served) }),
                    "lost_write_fraction": s.lostWriteFraction,
                ] as [String: Any]
            } else {
                object["simulator"] = NSNull()
            }
            return object
        }
        let root: [String: Any] = [
            "plan": answer.plan.name, "topology": answer.plan.topology.name, "datacenters": names,
            "candidates_evaluated": answer.results.count, "meeting_objectives": answer.meeting,
            "frontier": answer.frontier.map { answer.results[$0].candidate.label },
            "candidates": candidates,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    public static func table(_ answer: PlanEvaluator.Answer, limit: Int = 15) -> String {
        let plan = answer.plan
        var out = "caplab plan \(plan.name): \(answer.results.count) candidates over \(plan.topology.name) ("
        out += plan.topology.datacenters.map { "\($0.name) \($0.service.name), \(Int(($0.trafficShare * 100).rounded())) % of clients" }
            .joined(separator: "; ") + ")\n"
        out += "message delay: RTT(a, b)/2 + a draw from the leg's model (W, A, R, S) of the replica's datacenter; coordinator in the client's datacenter\n"
        out += "model = topology-aware PBS Monte Carlo (95 % intervals in brackets), availability exact from quorum arithmetic; "
            + "sim = discrete-event simulator, failures as fault schedules\n\n"
        let t = plan.objectives.consistency.first?.tMs ?? 0
        func row(_ i: Int, _ r: PlanEvaluator.Result, simulated: Bool) -> [String] {
            let m = r.model
            var cells = [String(i + 1), r.candidate.label, String(r.candidate.nodes), number(r.cost), number(r.messagesPerOperation),
                         m.map { "\(number($0.readP99.value)) [\(number($0.readP99.low))–\(number($0.readP99.high))]" } ?? "–",
                         m.map { number($0.writeP99.value) } ?? "–",
                         m?.consistency.first.map { "\(number($0.p.value)) [\(number($0.p.low))–\(number($0.p.high))]" } ?? "–"]
            cells += r.availability.map { number($0.answer.served) }
            if simulated {
                if let s = r.confirmation {
                    cells += [s.readP99Ms.map(number) ?? "–", s.writeP99Ms.map(number) ?? "–", s.consistency.first.map { number($0.p) } ?? "–"]
                    cells += s.availability.map { number($0.served) }
                } else {
                    let why = PlanConfirmation.canConfirm(r.candidate) ? "not simulated" : "model only (level not a count)"
                    cells += [why, "", ""] + r.availability.map { _ in "" }
                }
            }
            return cells
        }
        let failures = plan.objectives.survive.map(\.failure.description)
        let header = ["rank", "configuration", "nodes", "cost", "msgs/op", "read p99 ms", "write p99 ms", "P(consistent) t=\(number(t)) ms"]
            + failures.map { "avail: \($0)" }
        let simHeader = ["sim read p99", "sim write p99", "sim P(consistent)"] + failures.map { "sim avail: \($0)" }
        if answer.meeting > 0 {
            out += "Meet every objective (\(answer.meeting)), cheapest first:\n"
            let rows = answer.results.prefix(min(answer.meeting, limit)).enumerated().map { row($0, $1, simulated: true) }
            out += TextTable.render(CSVTable(columns: header + simHeader, rows: rows))
            if answer.meeting > limit { out += "… and \(answer.meeting - limit) more (--format csv or json lists all)\n" }
        } else {
            out += "No configuration meets every objective. Nearest misses:\n"
        }
        let misses = answer.results.enumerated().filter { !$0.element.meetsObjectives && $0.element.unservable == nil }
        if !misses.isEmpty {
            if answer.meeting > 0 { out += "\nNearest misses (objective broken: value vs limit):\n" }
            let shown = misses.prefix(answer.meeting > 0 ? 8 : limit)
            let simulated = answer.meeting == 0
            out += TextTable.render(CSVTable(
                columns: header + (simulated ? simHeader : []) + ["broken"],
                rows: shown.map { row($0.offset, $0.element, simulated: simulated) + [$0.element.violations.map(violationText).joined(separator: "; ")] }))
        }
        let unservable = answer.results.filter { $0.unservable != nil }.count
        if unservable > 0 { out += "\n\(unservable) candidates cannot serve some datacenter's clients at all (e.g. a local level with no local replica).\n" }
        out += "\nPareto frontier of cost, read p99 and staleness (1 − P(consistent) at t=\(number(t)) ms):\n"
        out += TextTable.render(CSVTable(columns: ["configuration", "cost", "read p99 ms", "stale", "meets objectives"], rows: answer.frontier.map {
            let r = answer.results[$0]
            return [r.candidate.label, number(r.cost), r.model.map { number($0.readP99.value) } ?? "", PlanEvaluator.staleness(r).map(number) ?? "",
                    r.meetsObjectives ? "yes" : "no"]
        }))
        return out
    }
}
