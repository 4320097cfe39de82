import Foundation

/// The outcome of a check a CI job acts on: what `caplab gate check` and
/// `caplab compare` print, in the format a person or a CI system wants,
/// and the exit status that goes with it.
public struct VerdictReport: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, markdown, json, junit
    }

    /// What one case (a kernel, or a configuration and metric) came to.
    public enum Outcome: String, Sendable, Codable {
        case pass, regression, improvement
        /// No baseline to judge against, or a baseline row with nothing measured now.
        case missingBaseline = "missing_baseline"
    }

    public struct Case: Sendable {
        public let name: String
        public let outcome: Outcome
        /// Whether this case fails the check (an improvement only when asked to).
        public let fails: Bool
        /// One value per column of the report, in its order.
        public let cells: [String]
        public let message: String

        public init(name: String, outcome: Outcome, fails: Bool, cells: [String], message: String) {
            self.name = name
            self.outcome = outcome
            self.fails = fails
            self.cells = cells
            self.message = message
        }
    }

    /// The suite name (`caplab gate`, `caplab compare`).
    public let title: String
    public let columns: [String]
    public let cases: [Case]
    /// Lines a reader should see first: which counter was used, runs that differ in machine or commit.
    public let notes: [String]

    public init(title: String, columns: [String], cases: [Case], notes: [String] = []) {
        self.title = title
        self.columns = columns
        self.cases = cases
        self.notes = notes
    }

    /// 0 pass, 1 regression, 3 missing or stale baseline, 2 an improvement
    /// that was asked to fail (a regression outranks a missing baseline,
    /// which outranks an improvement).
    public var exitStatus: ExitStatus {
        let failing = cases.filter(\.fails).map(\.outcome)
        if failing.contains(.regression) { return .regression }
        if failing.contains(.missingBaseline) { return .missingBaseline }
        if failing.contains(.improvement) { return .improvement }
        return .pass
    }

    public func rendered(_ format: Format) -> String {
        switch format {
        case .text:
            return notes.map { "note: \($0)\n" }.joined() + TextTable.render(table)
        case .markdown:
            let icon = exitStatus == .pass ? "✅" : "❌"
            return "### \(icon) \(title): \(exitStatus.summary)\n\n" + notes.map { "> \($0)\n" }.joined() + (notes.isEmpty ? "" : "\n") + TextTable.markdown(table)
        case .json:
            return json()
        case .junit:
            return junit()
        }
    }

    var table: CSVTable {
        var table = CSVTable(columns: columns)
        for c in cases { table.append(c.cells) }
        return table
    }

    func json() -> String {
        let document: [String: Any] = [
            "suite": title,
            "status": exitStatus.rawValue,
            "result": exitStatus.summary,
            "notes": notes,
            "cases": cases.map { c -> [String: Any] in
                var fields: [String: Any] = ["name": c.name, "outcome": c.outcome.rawValue, "fails": c.fails, "message": c.message]
                fields["values"] = Dictionary(zip(columns, c.cells).map { ($0, $1) }, uniquingKeysWith: { a, _ in a })
                return fields
            },
        ]
        // Every value is a string, number, bool, array or dictionary: serialisation cannot fail.
        let data = try! JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// JUnit XML as CI test-report viewers read it: one test case per
    /// kernel or metric, a `<failure>` for each that fails the check.
    func junit() -> String {
        let failures = cases.filter(\.fails).count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"\(xml(title))\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\">\n"
        out += "  <testsuite name=\"\(xml(title))\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
        if !notes.isEmpty {
            out += "    <properties>\n"
            for (i, note) in notes.enumerated() { out += "      <property name=\"note\(i + 1)\" value=\"\(xml(note))\"/>\n" }
            out += "    </properties>\n"
        }
        for c in cases {
            let open = "    <testcase classname=\"\(xml(title))\" name=\"\(xml(c.name))\" time=\"0\""
            if c.fails {
                out += open + ">\n      <failure type=\"\(c.outcome.rawValue)\" message=\"\(xml(c.message))\">\(xml(zip(columns, c.cells).map { "\($0)=\($1)" }.joined(separator: " ")))</failure>\n    </testcase>\n"
            } else {
                out += open + "/>\n"
            }
        }
        return out + "  </testsuite>\n</testsuites>\n"
    }

    func xml(_ text: String) -> String {
        var escaped = ""
        for ch in text.unicodeScalars {
            switch ch {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default:
                // XML 1.0 admits no control characters other than tab, newline and carriage return.
                if ch.value < 0x20 && ch != "\t" && ch != "\n" && ch != "\r" { escaped += "?" } else { escaped.unicodeScalars.append(ch) }
            }
        }
        return escaped
    }
}

/// The exit statuses of every `caplab` subcommand, for CI scripts (64, 65
/// and 74 are sysexits' EX_USAGE, EX_DATAERR and EX_IOERR):
/// 0 ok; 1 a finding (a regression, a history that is not linearizable);
/// 2 no verdict either way (`check`: unknown within the budget; `gate`: an
/// improvement beyond tolerance, record a new baseline); 3 missing or stale
/// baseline (`gate`); 64 usage (a bad flag or value, an unknown name);
/// 65 bad input data (a file whose content is wrong: the message names file,
/// line or key, and what was expected); 74 I/O (a file that cannot be read
/// or written, a tool that cannot run). A signal is never an answer.
public enum ExitStatus: Int32, Sendable {
    case pass = 0
    case regression = 1
    case improvement = 2
    case missingBaseline = 3
    case usage = 64
    case badInput = 65
    /// A file could not be read or written, or a tool (callgrind, perf, the program) could not be run.
    case ioError = 74

    public var summary: String {
        switch self {
        case .pass: return "pass"
        case .regression: return "regression"
        case .improvement: return "improvement: record a new baseline"
        case .missingBaseline: return "missing or stale baseline"
        case .usage: return "usage error"
        case .badInput: return "bad input"
        case .ioError: return "I/O error or a tool that could not run"
        }
    }
}
