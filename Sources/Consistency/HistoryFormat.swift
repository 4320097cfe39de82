/// Reading and writing histories as JSON lines or as Jepsen EDN.
///
/// JSON lines, one event per line:
/// `{"type":"invoke","f":"write","process":0,"key":7,"value":3,"time":1200}`
/// (`key` and `time` optional; `value` null for the empty register).
///
/// EDN, one map per event as Jepsen writes `history.edn`:
/// `{:type :invoke, :f :write, :value 3, :process 0}`, or for a multi-key
/// history the `[key value]` tuple of Jepsen's independent checker:
/// `{:type :ok, :f :read, :value [7 3], :process 1}`. A key is an integer,
/// a keyword or a string (`:value [:a 1]`, `["x" 1]`, `"key":"x"`). The
/// process must be an integer; events of `:nemesis` (fault injection) are
/// the only ones skipped, and counted (``History/skippedNemesisEvents``);
/// any other process (`"0"`, `0.5`, `1e30`) is an error naming the line.
/// Other fields (`:time`, `:index`, `:error`) are read when known and
/// otherwise ignored. A file may also hold one vector of such maps.
///
/// Nesting is bounded by ``DatumReader/maxDepth`` (histories need about 4
/// levels): deeper input is an error naming line and column, never a stack
/// overflow.
///
/// - Complexity: O(bytes); one pass, no backtracking; stack depth at most
///   ``DatumReader/maxDepth`` frames.
public enum HistoryFormat: String, Sendable, CaseIterable {
    case jsonLines = "jsonl"
    case edn

    /// Parses a whole file; the format is detected from its first form.
    /// - Throws: ``HistoryError`` naming the line that could not be read.
    public static func parse(_ bytes: [UInt8]) throws -> History {
        if let history = bytes.withUnsafeBufferPointer({ parseCanonicalJSONLines($0) }) { return history }
        return try parseGeneral(bytes)
    }

    /// ``parse(_:)-([UInt8])`` without the fast path for canonical JSON lines.
    static func parseGeneral(_ bytes: [UInt8]) throws -> History {
        var history = History(events: [], lines: [])
        try DatumReader.forEachEvent(in: bytes) { datum, line in
            if let event = try event(from: datum, line: line) {
                history.events.append(event)
                history.lines.append(line)
            } else {
                history.skippedNemesisEvents += 1
                var function = "?"
                if case .map(let pairs) = datum {
                    for (k, v) in pairs {
                        if case .keyword("f") = k, case .keyword(let f) = v { function = f }
                        if case .string("f") = k, case .string(let f) = v { function = f }
                    }
                }
                history.nemesisMarks.append((history.events.count, function))
            }
        }
        return history
    }

    public static func parse(_ text: String) throws -> History { try parse(Array(text.utf8)) }

    /// One event from a parsed map; nil for a `:nemesis` event (fault
    /// injection, not a client's operation), the only events skipped.
    static func event(from datum: Datum, line: Int) throws -> HistoryEvent? {
        guard case .map(let pairs) = datum else { throw HistoryError(line: line, "expected a map such as {:type :invoke, :f :read, :value nil, :process 0}") }
        var fields: [String: Datum] = [:]
        for (k, v) in pairs {
            switch k {
            case .keyword(let name), .string(let name): fields[name] = v
            default: throw HistoryError(line: line, "expected keyword or string keys in the event map")
            }
        }
        func name(_ field: String) throws -> String {
            switch fields[field] {
            case .keyword(let s)?, .string(let s)?: return s
            case nil: throw HistoryError(line: line, "missing field '\(field)'")
            default: throw HistoryError(line: line, "field '\(field)': expected a name")
            }
        }
        func integer(_ field: String) throws -> Int64? {
            switch fields[field] {
            case .int(let i)?: return i
            case nil, .null?: return nil
            case let other?: throw HistoryError(line: line, "field '\(field)': expected an integer, got \(other.summary)")
            }
        }
        func key(_ datum: Datum, _ field: String) throws -> HistoryKey {
            switch datum {
            case .int(let i): return .integer(i)
            case .keyword(let k): return .keyword(k)
            case .string(let s): return .string(s)
            default: throw HistoryError(line: line, "field '\(field)': expected a key (integer, keyword or string), got \(datum.summary)")
            }
        }
        let process: Int64
        switch fields["process"] {
        case .int(let p)?: process = p
        case .keyword("nemesis")?, .string("nemesis")?: return nil
        case nil: throw HistoryError(line: line, "missing field 'process'")
        case let other?: throw HistoryError(line: line, "field 'process': expected an integer (or :nemesis, whose events are skipped), got \(other.summary)")
        }
        let typeName = try name("type")
        guard let type = HistoryEvent.EventType(rawValue: typeName) else {
            throw HistoryError(line: line, "field 'type': expected invoke, ok, fail or info, got '\(typeName)'")
        }
        let functionName = try name("f")
        guard let function = HistoryEvent.Function(rawValue: functionName) else {
            throw HistoryError(line: line, "field 'f': expected read or write (registers only), got '\(functionName)'")
        }
        var eventKey = try fields["key"].flatMap { $0 == .null ? nil : try key($0, "key") }
        var value: Int64?
        switch fields["value"] {
        case .int(let v)?: value = v
        case nil, .null?: value = nil
        case .vector(let tuple)? where tuple.count == 2:
            eventKey = try key(tuple[0].0, "value")
            switch tuple[1].0 {
            case .int(let v): value = v
            case .null: value = nil
            default: throw HistoryError(line: line, "field 'value': expected [key value] with an integer or nil value, got \(tuple[1].0.summary)")
            }
        case let other?:
            throw HistoryError(line: line, "field 'value': expected an integer, nil, or a [key value] tuple, got \(other.summary)")
        }
        if type == .invoke && function == .write && value == nil {
            throw HistoryError(line: line, "a write's invoke needs a value")
        }
        return HistoryEvent(type: type, function: function, process: process, key: eventKey, value: value, timeNanoseconds: try integer("time"))
    }

    /// One event as a line in this format (with its newline).
    public func line(_ e: HistoryEvent) -> String {
        func text(_ v: Int64?) -> String { v.map(String.init) ?? (self == .edn ? "nil" : "null") }
        switch self {
        case .jsonLines:
            var s = "{\"type\":\"\(e.type.rawValue)\",\"f\":\"\(e.function.rawValue)\",\"process\":\(e.process)"
            // JSON has no keywords: a keyword key is written as a string of its name.
            if let key = e.key {
                switch key {
                case .integer(let i): s += ",\"key\":\(i)"
                case .keyword(let k), .string(let k): s += ",\"key\":\"\(k)\""
                }
            }
            s += ",\"value\":\(text(e.value))"
            if let t = e.timeNanoseconds { s += ",\"time\":\(t)" }
            return s + "}\n"
        case .edn:
            let value = e.key.map { "[\($0) \(text(e.value))]" } ?? text(e.value)
            var s = "{:type :\(e.type.rawValue), :f :\(e.function.rawValue), :value \(value), :process \(e.process)"
            if let t = e.timeNanoseconds { s += ", :time \(t)" }
            return s + "}\n"
        }
    }

    /// The whole history in this format.
    public func render(_ history: History) -> String {
        var out = ""
        out.reserveCapacity(history.events.count * 72)
        for e in history.events { out += line(e) }
        return out
    }
}

/// A parsed JSON or EDN value.
indirect enum Datum: Equatable {
    case int(Int64)
    case double(Double)
    case string(String)
    case keyword(String)
    case symbol(String)
    case bool(Bool)
    case null
    /// Items with the line each starts on.
    case vector([(Datum, Int)])
    case map([(Datum, Datum)])

    static func == (a: Datum, b: Datum) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.double(let x), .double(let y)): return x == y
        case (.string(let x), .string(let y)), (.keyword(let x), .keyword(let y)), (.symbol(let x), .symbol(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.null, .null): return true
        case (.vector(let x), .vector(let y)): return x.map(\.0) == y.map(\.0)
        case (.map(let x), .map(let y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: return false
        }
    }

    /// What the value is, for error messages: `string "0"`, `0.5`, `a map`.
    var summary: String {
        switch self {
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return "string \"\(s.prefix(40))\""
        case .keyword(let k): return ":" + k.prefix(40)
        case .symbol(let s): return "symbol " + s.prefix(40)
        case .bool(let b): return String(b)
        case .null: return "nil"
        case .vector(let items): return "a vector of \(items.count)"
        case .map: return "a map"
        }
    }
}

/// A reader for the subset of JSON and EDN that histories use: maps,
/// vectors (JSON arrays, EDN vectors, lists and sets), integers, floats, strings,
/// keywords, symbols, nil/null, booleans. Commas are whitespace, as in EDN.
struct DatumReader {
    /// Deepest nesting of maps and vectors accepted. A Jepsen history nests
    /// about 4 deep (a vector of maps holding `[key value]` tuples, a kv
    /// operation's `[[:append k v]]`); 256 leaves ample room and keeps the
    /// recursion to a few dozen kilobytes of stack on any thread.
    static let maxDepth = 256

    let bytes: [UInt8]
    var index = 0
    var line = 1
    /// Index of the first byte of `line`, for columns.
    var lineStart = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipSpace() {
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\n") { line += 1; index += 1; lineStart = index }
            else if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") || c == UInt8(ascii: ",") { index += 1 }
            else if c == UInt8(ascii: ";") { while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 } }
            else { return }
        }
    }

    /// Calls `body` with each event's datum and line: every top-level form,
    /// or each item of a top-level vector (a file holding one vector of maps).
    static func forEachEvent(in bytes: [UInt8], _ body: (Datum, Int) throws -> Void) throws {
        var reader = DatumReader(bytes: bytes)
        while let (datum, line) = try reader.nextTopLevel() {
            if case .vector(let items) = datum {
                for (item, itemLine) in items { try body(item, itemLine) }
            } else {
                try body(datum, line)
            }
        }
    }

    mutating func nextTopLevel() throws -> (Datum, Int)? {
        skipSpace()
        guard index < bytes.count else { return nil }
        let start = line
        return (try value(), start)
    }

    func fail(_ message: String) -> HistoryError { HistoryError(line: line, column: index - lineStart + 1, message) }

    /// Enters a map or vector; throws past ``maxDepth``.
    mutating func enter() throws {
        depth += 1
        if depth > Self.maxDepth {
            throw fail("nested more than \(Self.maxDepth) deep (maps and vectors); a history event needs about 4 levels")
        }
    }

    mutating func value() throws -> Datum {
        skipSpace()
        guard index < bytes.count else { throw fail("unexpected end of input") }
        let c = bytes[index]
        let startLine = line
        switch c {
        case UInt8(ascii: "{"):
            try enter()
            defer { depth -= 1 }
            index += 1
            var pairs: [(Datum, Datum)] = []
            while true {
                skipSpace()
                guard index < bytes.count else { throw HistoryError(line: startLine, "unterminated map: expected '}'") }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .map(pairs) }
                let k = try value()
                skipSpace()
                if index < bytes.count && bytes[index] == UInt8(ascii: ":"), case .string = k { index += 1 } // JSON's key separator
                let v = try value()
                pairs.append((k, v))
            }
        case UInt8(ascii: "#") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "{"):
            // An EDN set `#{...}` (Jepsen's set reads) is read as a vector of its items.
            return try items(close: UInt8(ascii: "}"), opening: 2)
        case UInt8(ascii: "["), UInt8(ascii: "("):
            return try items(close: c == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: ")"), opening: 1)
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: ":"):
            index += 1
            return .keyword(token())
        case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ")"):
            throw fail("unexpected '\(Character(UnicodeScalar(c)))'")
        default:
            let t = token()
            if t.isEmpty { throw fail("unexpected character '\(Character(UnicodeScalar(c)))'") }
            switch t {
            case "nil", "null": return .null
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: break
            }
            let first = t.utf8.first!
            if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) {
                let digits = t.hasSuffix("N") ? String(t.dropLast()) : t
                if let i = Int64(digits) { return .int(i) }
                if let d = Double(t.hasSuffix("M") ? String(t.dropLast()) : t) { return .double(d) }
                if t.count > 1 || first != UInt8(ascii: "-") && first != UInt8(ascii: "+") { throw fail("'\(t)' is not a number") }
            }
            return .symbol(t)
        }
    }

    /// A vector, list or set: the items up to `close`, after an opening of `opening` bytes.
    mutating func items(close: UInt8, opening: Int) throws -> Datum {
        let startLine = line
        try enter()
        defer { depth -= 1 }
        index += opening
        var items: [(Datum, Int)] = []
        while true {
            skipSpace()
            guard index < bytes.count else { throw HistoryError(line: startLine, "unterminated vector: expected '\(Character(UnicodeScalar(close)))'") }
            if bytes[index] == close { index += 1; return .vector(items) }
            let itemLine = line
            items.append((try value(), itemLine))
        }
    }

    /// A run of characters up to whitespace or a delimiter.
    mutating func token() -> String {
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: ","),
                 UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "("), UInt8(ascii: ")"),
                 UInt8(ascii: "\""), UInt8(ascii: ";"):
                return String(decoding: bytes[start..<index], as: UTF8.self)
            default:
                index += 1
            }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func string() throws -> String {
        index += 1
        var out: [UInt8] = []
        while index < bytes.count {
            let c = bytes[index]
            index += 1
            if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            if c == UInt8(ascii: "\n") { line += 1; lineStart = index }
            if c == UInt8(ascii: "\\"), index < bytes.count {
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                default: out.append(e)
                }
                continue
            }
            out.append(c)
        }
        throw fail("unterminated string")
    }
}
