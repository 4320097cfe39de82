import Consistency

/// `caplab check --html OUT.html`: one self-contained page (inline CSS and
/// SVG; no script, font or network) drawing a checked history key by key, in
/// the spirit of Porcupine's visualizer (Athalye, github.com/anishathalye/porcupine):
/// operations as bars on a time axis (history positions), one row per
/// process; the explanation's shrunk non-linearizable window shaded, its
/// operations carrying the class `window`; the longest partial linearization
/// drawn as a path through the bars (class `linearization`); `info`
/// operations open-ended to the right edge (class `info`); fault windows
/// from `:nemesis` events shaded (class `fault`).
///
/// Registers (``LinearizabilityChecker``) and the other models
/// (``ModelChecker``) draw the same way. Keys drawn: the not linearizable and unknown ones first, then others, at
/// most `maxKeys`. - Complexity: O(n) per key drawn plus one bounded search
/// per failing key for its partial linearization.
public enum HistoryHTML {
    /// One operation as drawn: from invocation to completion (`Int.max`: open-ended) in its process's row.
    struct Bar {
        let process: Int64
        let invoke: Int
        let complete: Int
        /// After `op`: read or write, then the outcome, then `window` when marked.
        let classes: [String]
        let label: String
        let title: String
        let line: Int
    }

    /// One key's section: its bars by invocation, the window's and the partial linearization's bars (indices).
    struct KeyDrawing {
        let name: String
        let verdict: String
        let bars: [Bar]
        let window: Set<Int>
        /// In linearization order; nil for a key whose path is not drawn (a linearizable one).
        let linearization: [Int]?
    }

    /// The register checker's page; the partial linearization is found again per failing key (one bounded search).
    public static func render(history: History, report: LinearizabilityChecker.Report, checker: LinearizabilityChecker,
                              title: String, maxKeys: Int = 20) throws -> String {
        let all = try history.operations()
        var byKey: [HistoryKey: [RegisterOperation]] = [:]
        for op in all { byKey[op.key, default: []].append(op) }
        let windows = Dictionary(report.violations.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let failing = Set(report.violations.map(\.key)).union(report.unknownKeys.map(\.key))
        let drawings = order(Array(byKey.keys), failing: failing).prefix(maxKeys).map { key in
            let ops = byKey[key]!.sorted { $0.invokePosition < $1.invokePosition }
            let index = Dictionary(uniqueKeysWithValues: ops.enumerated().map { ($0.element.invokePosition, $0.offset) })
            let bars = ops.map { op in
                Bar(process: op.process, invoke: op.invokePosition, complete: op.completePosition,
                    classes: [op.function.rawValue, op.outcome.rawValue],
                    label: (op.function == .write ? "w " : "r ") + (op.value.map(String.init) ?? "nil"), title: op.summary, line: op.invokeLine)
            }
            return KeyDrawing(name: "\(key)", verdict: windows[key] != nil ? "not linearizable" : failing.contains(key) ? "unknown" : "linearizable",
                              bars: bars, window: Set((windows[key]?.window ?? []).compactMap { index[$0.invokePosition] }),
                              linearization: failing.contains(key) ? checker.longestLinearizablePrefix(byKey[key]!).compactMap { index[$0.invokePosition] } : nil)
        }
        return page(title: title, verdict: report.verdict.rawValue, keys: drawings, totalKeys: byKey.count,
                    events: history.events.count, nemesisMarks: history.nemesisMarks)
    }

    /// A model checker's page (cas-register, kv, set): `operations` are the history's, as the model read them;
    /// the window and the partial linearization come from the report.
    public static func render(history: ModelHistory, operations: [ModelOperation], report: ModelChecker.Report,
                              title: String, maxKeys: Int = 20) -> String {
        var byKey: [HistoryKey: [ModelOperation]] = [:]
        for op in operations { byKey[op.key, default: []].append(op) }
        let violations = Dictionary(report.violations.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let undecided = Dictionary(report.undecided.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let failing = Set(violations.keys).union(undecided.keys)
        let drawings = order(Array(byKey.keys), failing: failing).prefix(maxKeys).map { key in
            let ops = byKey[key]!.sorted { $0.invokePosition < $1.invokePosition }
            let index = Dictionary(uniqueKeysWithValues: ops.enumerated().map { ($0.element.invokePosition, $0.offset) })
            let bars = ops.map { op in
                let reads = op.function == "read" || op.function == "get"
                let result = op.outcome == .ok && op.output != .null && op.output != op.input ? "→\(op.output)" : ""
                return Bar(process: op.process, invoke: op.invokePosition, complete: op.completePosition,
                           classes: [reads ? "read" : "write", op.outcome.rawValue],
                           label: op.function + (op.input == .null ? "" : " \(op.input)") + result, title: op.summary, line: op.invokeLine)
            }
            let v = violations[key]
            let prefix = v?.longestPrefix ?? undecided[key]?.longestPrefix
            return KeyDrawing(name: "\(key)", verdict: v != nil ? "not linearizable" : failing.contains(key) ? "unknown" : "linearizable",
                              bars: bars, window: Set((v?.window ?? []).compactMap { index[$0.invokePosition] }),
                              linearization: prefix.map { $0.compactMap { index[$0.invokePosition] } })
        }
        return page(title: title, verdict: report.verdict.rawValue + " (\(report.model) model)", keys: drawings, totalKeys: byKey.count,
                    events: history.events.count, nemesisMarks: history.nemesisMarks)
    }

    /// Not linearizable and unknown keys first, then the others, each group by key.
    static func order(_ keys: [HistoryKey], failing: Set<HistoryKey>) -> [HistoryKey] {
        keys.sorted { a, b in
            let fa = failing.contains(a), fb = failing.contains(b)
            return fa != fb ? fa : a < b
        }
    }

    static func page(title: String, verdict: String, keys: [KeyDrawing], totalKeys: Int, events: Int,
                     nemesisMarks: [(position: Int, function: String)]) -> String {
        let n = max(events, 1)
        var out = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>
            body{font:13px sans-serif;margin:16px;color:#222}
            .op{stroke:#333;stroke-width:1}
            .write{fill:#9cc3e6}.read{fill:#c9e6a3}.fail{fill:#ddd;stroke-dasharray:3 2}
            .info{stroke-dasharray:4 3;fill-opacity:.45}
            .window{stroke:#c00;stroke-width:2.5}
            .window-span{fill:#f9c0c0;fill-opacity:.45}
            .fault{fill:#999;fill-opacity:.18}
            .linearization{fill:none;stroke:#e07b00;stroke-width:2}
            .lp{fill:#e07b00}
            text{font-size:11px}
            </style></head><body>
            <h1>\(escape(title))</h1>
            <p>Verdict: <b>\(escape(verdict))</b>. Bars: operations from invocation to completion (x: position in the history);
            red outline: the shrunk window that cannot be ordered; orange path: the longest partial linearization the search found;
            dashed open bars: indeterminate (<code>info</code>) operations; grey bands: fault windows (<code>:nemesis</code>).</p>

            """
        let width = 1100.0, left = 70.0, right = 20.0, rowHeight = 26.0
        func x(_ p: Int) -> Double { left + (width - left - right) * Double(min(p, n)) / Double(n) }
        // Fault windows: from a nemesis event to the next one whose :f starts with stop/heal/resume/recover.
        var faults: [(Int, Int)] = []
        var open: Int?
        for mark in nemesisMarks {
            let closes = ["stop", "heal", "resume", "recover"].contains { mark.function.hasPrefix($0) }
            if closes { if let o = open { faults.append((o, mark.position)); open = nil } } else if open == nil { open = mark.position }
        }
        if let o = open { faults.append((o, n)) }
        for key in keys {
            let processes = Array(Set(key.bars.map(\.process))).sorted()
            let row = Dictionary(uniqueKeysWithValues: processes.enumerated().map { ($0.element, $0.offset) })
            let height = Double(processes.count) * rowHeight + 30
            out += "<section class=\"key\" data-key=\"\(escape(key.name))\" data-verdict=\"\(key.verdict)\"><h2>key \(escape(key.name)): \(key.verdict)</h2>\n"
            out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\">\n"
            for (a, b) in faults {
                out += "<rect class=\"fault\" x=\"\(x(a))\" y=\"0\" width=\"\(max(x(b) - x(a), 1))\" height=\"\(height - 20)\"/>\n"
            }
            if let lo = key.window.map({ key.bars[$0].invoke }).min(), let hi = key.window.map({ key.bars[$0].complete }).max() {
                out += "<rect class=\"window-span\" x=\"\(x(lo) - 3)\" y=\"0\" width=\"\(x(hi) - x(lo) + 6)\" height=\"\(height - 20)\"/>\n"
            }
            for (i, p) in processes.enumerated() {
                out += "<text x=\"4\" y=\"\(Double(i) * rowHeight + 17)\">process \(p)</text>\n"
            }
            for (i, bar) in key.bars.enumerated() {
                let y = Double(row[bar.process]!) * rowHeight + 4
                let x0 = x(bar.invoke)
                let x1 = bar.complete == Int.max ? width - right : x(bar.complete)
                let classes = ["op"] + bar.classes + (key.window.contains(i) ? ["window"] : [])
                out += "<g><title>\(escape(bar.title))</title><rect class=\"\(classes.joined(separator: " "))\" data-line=\"\(bar.line)\" x=\"\(x0)\" y=\"\(y)\" width=\"\(max(x1 - x0, 2))\" height=\"\(rowHeight - 8)\" rx=\"3\"/>"
                out += "<text x=\"\(x0 + 3)\" y=\"\(y + 13)\">\(escape(bar.label))</text></g>\n"
            }
            if let path = key.linearization {
                // Each operation's point: as early as allowed after the previous one, within its interval.
                var t = left
                var points: [String] = []
                for i in path {
                    let bar = key.bars[i]
                    let x1 = bar.complete == Int.max ? width - right : x(bar.complete)
                    t = min(max(t, x(bar.invoke) + 2), x1 - 1)
                    let y = Double(row[bar.process]!) * rowHeight + 4 + (rowHeight - 8) / 2
                    points.append("\(t),\(y)")
                    out += "<circle class=\"lp\" cx=\"\(t)\" cy=\"\(y)\" r=\"3\"/>"
                }
                out += "<polyline class=\"linearization\" data-length=\"\(points.count)\" points=\"\(points.joined(separator: " "))\"/>\n"
            }
            out += "<line x1=\"\(left)\" y1=\"\(height - 16)\" x2=\"\(width - right)\" y2=\"\(height - 16)\" stroke=\"#555\"/>"
            out += "<text x=\"\(left)\" y=\"\(height - 3)\">position 0</text><text x=\"\(width - right - 80)\" y=\"\(height - 3)\">position \(n)</text>\n"
            out += "</svg></section>\n"
        }
        if totalKeys > keys.count { out += "<p>… and \(totalKeys - keys.count) more keys, all drawn only in the text report.</p>\n" }
        out += "</body></html>\n"
        return out
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
