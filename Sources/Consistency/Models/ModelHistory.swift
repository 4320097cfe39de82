/// A history for a ``DataModel``, read from the same JSON lines and Jepsen
/// EDN as ``HistoryFormat`` but with any `:f` and any value shape:
/// `{:type :invoke, :f :cas, :value [1 2], :process 0}`,
/// `{:type :ok, :f :read, :value #{1 2 3}, :process 1}`,
/// `{"type":"invoke","f":"append","key":"x","value":"ab","process":3}`.
/// The key is the `:key` field, or the first item of a `[key value]` tuple
/// (Jepsen's independent checker): for a function whose value is itself a
/// vector (``DataModel/hasVectorValue(_:)``) the tuple's second item must
/// be a vector or nil, so `:cas [1 2]` is a cas from 1 to 2 and
/// `:cas [:k [1 2]]` the same on key `:k`.
///
/// - Complexity: O(bytes) to read, O(n) expected to pair.
public struct ModelHistory: Sendable {
    public struct Event: Sendable, Equatable {
        public var type: HistoryEvent.EventType
        public var function: String
        public var process: Int64
        /// The `:key` field, when present.
        public var key: HistoryKey?
        public var value: ModelValue
        public var line: Int
    }

    public var events: [Event] = []
    /// `:nemesis` events, skipped (fault injection, not a client's).
    public var skippedNemesisEvents = 0
    /// Where each skipped `:nemesis` event sat (the number of client events before it) and its `:f`,
    /// as ``History/nemesisMarks`` (fault windows in the `--html` page).
    public var nemesisMarks: [(position: Int, function: String)] = []

    /// - Throws: ``HistoryError`` naming line (and column for syntax), field and what was expected.
    public static func parse(_ bytes: [UInt8]) throws -> ModelHistory {
        var history = ModelHistory()
        try DatumReader.forEachEvent(in: bytes) { datum, line in
            if let event = try event(from: datum, line: line) {
                history.events.append(event)
            } else {
                history.skippedNemesisEvents += 1
                history.nemesisMarks.append((history.events.count, nemesisFunction(datum)))
            }
        }
        return history
    }

    public static func parse(_ text: String) throws -> ModelHistory { try parse(Array(text.utf8)) }

    static func value(_ datum: Datum, line: Int, field: String) throws -> ModelValue {
        switch datum {
        case .null: return .null
        case .int(let i): return .integer(i)
        case .string(let s): return .string(s)
        case .keyword(let k): return .keyword(k)
        case .vector(let items): return .list(try items.map { try value($0.0, line: $0.1, field: field) })
        default: throw HistoryError(line: line, "field '\(field)': expected an integer, string, keyword, nil or a vector of them, got \(datum.summary)")
        }
    }

    /// A nemesis event's `:f` (`start`, `stop`, …), or "" without one.
    static func nemesisFunction(_ datum: Datum) -> String {
        guard case .map(let pairs) = datum else { return "" }
        for (k, v) in pairs {
            switch (k, v) {
            case (.keyword("f"), .keyword(let f)), (.keyword("f"), .string(let f)), (.string("f"), .keyword(let f)), (.string("f"), .string(let f)):
                return f
            default: continue
            }
        }
        return ""
    }

    static func event(from datum: Datum, line: Int) throws -> Event? {
        guard case .map(let pairs) = datum else { throw HistoryError(line: line, "expected a map such as {:type :invoke, :f :cas, :value [1 2], :process 0}") }
        var fields: [String: Datum] = [:]
        for (k, v) in pairs {
            guard case .keyword(let name) = k else {
                guard case .string(let name) = k else { throw HistoryError(line: line, "expected keyword or string keys in the event map") }
                fields[name] = v
                continue
            }
            fields[name] = v
        }
        let process: Int64
        switch fields["process"] {
        case .int(let p)?: process = p
        case .keyword("nemesis")?, .string("nemesis")?: return nil
        case nil: throw HistoryError(line: line, "missing field 'process'")
        case let other?: throw HistoryError(line: line, "field 'process': expected an integer (or :nemesis), got \(other.summary)")
        }
        func name(_ field: String) throws -> String {
            switch fields[field] {
            case .keyword(let s)?, .string(let s)?: return s
            case nil: throw HistoryError(line: line, "missing field '\(field)'")
            case let other?: throw HistoryError(line: line, "field '\(field)': expected a name, got \(other.summary)")
            }
        }
        let typeName = try name("type")
        guard let type = HistoryEvent.EventType(rawValue: typeName) else {
            throw HistoryError(line: line, "field 'type': expected invoke, ok, fail or info, got '\(typeName)'")
        }
        var key: HistoryKey?
        if let k = fields["key"], k != .null {
            guard let parsed = try value(k, line: line, field: "key").key else {
                throw HistoryError(line: line, "field 'key': expected an integer, keyword or string, got \(k.summary)")
            }
            key = parsed
        }
        return Event(type: type, function: try name("f"), process: process, key: key,
                     value: try fields["value"].map { try value($0, line: line, field: "value") } ?? .null, line: line)
    }
}

extension ModelHistory {
    /// Pairs every invocation with the next completion of its process and
    /// splits `[key value]` tuples as `model` reads them.
    /// - Throws: ``HistoryError`` for a function the model does not take, a
    ///   completion without an invocation, a second invocation while one is
    ///   pending, or a completion of another function or key.
    public func operations<M: DataModel>(_ model: M.Type) throws -> [ModelOperation] {
        func split(_ e: Event) -> (HistoryKey?, ModelValue) {
            if e.key != nil { return (e.key, e.value) }
            if case .list(let items) = e.value, items.count == 2, let k = items[0].key {
                if !M.hasVectorValue(e.function) { return (k, items[1]) }
                switch items[1] {
                case .list, .null: return (k, items[1])
                default: break
                }
            }
            return (nil, e.value)
        }
        var open: [Int64: Int] = [:]
        var result: [ModelOperation] = []
        result.reserveCapacity(events.count / 2 + 1)
        func operation(_ invoke: Int, _ complete: Int?) -> ModelOperation {
            let i = events[invoke]
            let (key, input) = split(i)
            let c = complete.map { events[$0] }
            let output = c.map { split($0).1 } ?? .null
            let outcome: RegisterOperation.Outcome = c?.type == .ok ? .ok : c?.type == .fail ? .fail : .info
            return ModelOperation(process: i.process, key: key ?? (c.flatMap { split($0).0 }) ?? 0, function: i.function,
                                  input: input, output: output, outcome: outcome, invokePosition: invoke,
                                  completePosition: outcome == .info ? Int.max : complete!, invokeLine: i.line, completeLine: c?.line ?? 0)
        }
        for (position, event) in events.enumerated() {
            guard M.functions.contains(event.function) else {
                throw HistoryError(line: event.line, "field 'f': the \(M.name) model takes \(M.functions.sorted().map { ":" + $0 }.joined(separator: ", ")), got :\(event.function)")
            }
            if event.type == .invoke {
                if let pending = open[event.process] {
                    throw HistoryError(line: event.line, "process \(event.process) invokes again while its operation from line \(events[pending].line) is pending")
                }
                open[event.process] = position
                continue
            }
            guard let invoke = open.removeValue(forKey: event.process) else {
                throw HistoryError(line: event.line, "\(event.type.rawValue) from process \(event.process) without a pending invoke")
            }
            guard events[invoke].function == event.function else {
                throw HistoryError(line: event.line, "field 'f': completion is a \(event.function) but process \(event.process) invoked a \(events[invoke].function) on line \(events[invoke].line)")
            }
            let invokeKey = split(events[invoke]).0, completeKey = split(event).0
            if let completeKey, let invokeKey, completeKey != invokeKey {
                throw HistoryError(line: event.line, "field 'value': completion is for key \(completeKey) but the invoke on line \(events[invoke].line) was for key \(invokeKey)")
            }
            result.append(operation(invoke, position))
        }
        for pending in open.values.sorted() { result.append(operation(pending, nil)) }
        return result
    }
}
