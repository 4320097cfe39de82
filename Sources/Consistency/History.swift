/// One event of a client history, in the shape Jepsen records (Kingsbury,
/// Jepsen's `knossos.history`): an `invoke` when a client sends an
/// operation, then one completion from the same process — `ok` (it took
/// effect, with its result), `fail` (it certainly did not take effect) or
/// `info` (indeterminate: it may take effect at any later time, or never).
///
/// Registers only: `read` and `write`. `key` is nil for a single-register
/// history and names the register in a multi-key one (Jepsen's independent
/// checker writes it as the `[key value]` tuple).
public struct HistoryEvent: Sendable, Equatable {
    public enum EventType: String, Sendable, CaseIterable {
        case invoke, ok, fail, info
    }

    public enum Function: String, Sendable, CaseIterable {
        case read, write
    }

    public var type: EventType
    public var function: Function
    public var process: Int64
    public var key: HistoryKey?
    /// A write's value; a read's result on `ok`. nil is the register's initial (empty) value.
    public var value: Int64?
    /// Wall or monotonic time of the event in nanoseconds, when recorded.
    public var timeNanoseconds: Int64?

    public init(type: EventType, function: Function, process: Int64, key: HistoryKey? = nil, value: Int64? = nil, timeNanoseconds: Int64? = nil) {
        self.type = type
        self.function = function
        self.process = process
        self.key = key
        self.value = value
        self.timeNanoseconds = timeNanoseconds
    }
}

/// A history read from a file: its events in order, each with the line it came from.
public struct History: Sendable, Equatable {
    public var events: [HistoryEvent]
    /// The 1-based source line of each event (its index + 1 when built in memory).
    public var lines: [Int]
    /// Events left out because they are not a client's: Jepsen's `:nemesis`
    /// (fault injection) events. Nothing else is skipped.
    public var skippedNemesisEvents: Int
    /// Where the skipped `:nemesis` events were: before client event
    /// `position` (an index into `events`), with their `:f` (e.g. `start`, `stop`).
    public var nemesisMarks: [(position: Int, function: String)] = []

    public static func == (a: History, b: History) -> Bool {
        a.events == b.events && a.lines == b.lines && a.skippedNemesisEvents == b.skippedNemesisEvents
            && a.nemesisMarks.elementsEqual(b.nemesisMarks) { $0.position == $1.position && $0.function == $1.function }
    }

    public init(events: [HistoryEvent], lines: [Int]? = nil, skippedNemesisEvents: Int = 0) {
        self.events = events
        self.lines = lines ?? events.indices.map { $0 + 1 }
        self.skippedNemesisEvents = skippedNemesisEvents
    }
}

/// A history that cannot be read or paired; it names the line and what was expected.
public struct HistoryError: Error, CustomStringConvertible, Equatable, Sendable {
    public let line: Int
    /// 1-based byte column on `line`, when the reader knows it.
    public let column: Int?
    public let message: String

    public init(line: Int, column: Int? = nil, _ message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `12` or `12:40`: where the error is, for `file:line[:column]: message`.
    public var location: String { column.map { "\(line):\($0)" } ?? "\(line)" }

    public var description: String { "line \(location): \(message)" }
}

/// One operation: an invocation paired with its completion.
/// Positions are indices into the history's events, the order the checker uses.
public struct RegisterOperation: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        case ok, fail, info
    }

    public let process: Int64
    public let key: HistoryKey
    public let function: HistoryEvent.Function
    /// The value written, or the value a successful read returned.
    public let value: Int64?
    public let outcome: Outcome
    public let invokePosition: Int
    /// `Int.max` when the operation never completed (or completed `info`).
    public let completePosition: Int
    public let invokeLine: Int
    /// 0 when there is no completion event.
    public let completeLine: Int
}

extension History {
    /// Pairs every invocation with the next completion of the same process.
    /// An invocation with no completion is indeterminate (`info`).
    ///
    /// - Throws: ``HistoryError`` naming the line of a completion without an
    ///   invocation, a second invocation while one is pending, or a
    ///   completion whose function differs from its invocation's.
    /// - Complexity: O(n) expected.
    public func operations() throws -> [RegisterOperation] {
        // Positions of pending invocations, by process: a table for small
        // non-negative process numbers (CAPLab's and Jepsen's), a dictionary
        // for the rest. Events are read in place (a copied event retains its key).
        var open = PendingInvocations(processes: min(events.count, 1 << 22) + 64)
        var result: [RegisterOperation] = []
        result.reserveCapacity(events.count / 2 + 1)
        try events.withUnsafeBufferPointer { events in
            for position in events.indices {
                let line = lines[position]
                let process = events[position].process
                if events[position].type == .invoke {
                    if let pending = open.insert(position, for: process) {
                        throw HistoryError(line: line, "process \(process) invokes again while its operation from line \(lines[pending]) is pending")
                    }
                    continue
                }
                guard let invokePosition = open.remove(process) else {
                    throw HistoryError(line: line, "\(events[position].type.rawValue) from process \(process) without a pending invoke")
                }
                let function = events[position].function
                guard events[invokePosition].function == function else {
                    throw HistoryError(line: line, "completion is a \(function.rawValue) but process \(process) invoked a \(events[invokePosition].function.rawValue) on line \(lines[invokePosition])")
                }
                let invokeKey = events[invokePosition].key
                if let key = events[position].key, key != invokeKey {
                    throw HistoryError(line: line, "completion is for key \(key) but the invoke on line \(lines[invokePosition]) was for key \(invokeKey.map(String.init(describing:)) ?? "none")")
                }
                let type = events[position].type
                let outcome: RegisterOperation.Outcome = type == .ok ? .ok : type == .fail ? .fail : .info
                let value = function == .write ? (events[invokePosition].value ?? events[position].value) : events[position].value
                result.append(RegisterOperation(
                    process: process, key: invokeKey ?? 0, function: function, value: value, outcome: outcome,
                    invokePosition: invokePosition, completePosition: outcome == .info ? Int.max : position,
                    invokeLine: lines[invokePosition], completeLine: line))
            }
        }
        for position in open.positions.sorted() {
            let e = events[position]
            result.append(RegisterOperation(
                process: e.process, key: e.key ?? 0, function: e.function, value: e.function == .write ? e.value : nil, outcome: .info,
                invokePosition: position, completePosition: Int.max, invokeLine: lines[position], completeLine: 0))
        }
        return result
    }
}

/// The pending invocation of each process while ``History/operations()``
/// pairs events: O(1) per event, no hashing for process numbers below the
/// table's size.
struct PendingInvocations {
    /// Position of the pending invocation of process p, or -1.
    private var table: [Int]
    private var others: [Int64: Int] = [:]

    init(processes: Int) {
        table = [Int](repeating: -1, count: processes)
    }

    /// Records `position` as `process`'s pending invocation; returns the one it replaces, if any.
    mutating func insert(_ position: Int, for process: Int64) -> Int? {
        if process >= 0 && process < Int64(table.count) {
            let previous = table[Int(process)]
            table[Int(process)] = position
            return previous >= 0 ? previous : nil
        }
        return others.updateValue(position, forKey: process)
    }

    mutating func remove(_ process: Int64) -> Int? {
        if process >= 0 && process < Int64(table.count) {
            let previous = table[Int(process)]
            table[Int(process)] = -1
            return previous >= 0 ? previous : nil
        }
        return others.removeValue(forKey: process)
    }

    /// Positions still pending, in no order.
    var positions: [Int] { table.filter { $0 >= 0 } + others.values }
}
