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
        struct Open {
            let position: Int
            let event: HistoryEvent
        }
        var open: [Int64: Open] = [:]
        var result: [RegisterOperation] = []
        result.reserveCapacity(events.count / 2 + 1)
        for (position, event) in events.enumerated() {
            let line = lines[position]
            if event.type == .invoke {
                if let pending = open[event.process] {
                    throw HistoryError(line: line, "process \(event.process) invokes again while its operation from line \(lines[pending.position]) is pending")
                }
                open[event.process] = Open(position: position, event: event)
                continue
            }
            guard let invoke = open.removeValue(forKey: event.process) else {
                throw HistoryError(line: line, "\(event.type.rawValue) from process \(event.process) without a pending invoke")
            }
            guard invoke.event.function == event.function else {
                throw HistoryError(line: line, "completion is a \(event.function.rawValue) but process \(event.process) invoked a \(invoke.event.function.rawValue) on line \(lines[invoke.position])")
            }
            guard invoke.event.key == event.key || event.key == nil else {
                throw HistoryError(line: line, "completion is for key \(event.key!) but the invoke on line \(lines[invoke.position]) was for key \(invoke.event.key.map(String.init(describing:)) ?? "none")")
            }
            let outcome: RegisterOperation.Outcome = event.type == .ok ? .ok : event.type == .fail ? .fail : .info
            let value = event.function == .write ? (invoke.event.value ?? event.value) : event.value
            result.append(RegisterOperation(
                process: event.process, key: invoke.event.key ?? 0, function: event.function, value: value, outcome: outcome,
                invokePosition: invoke.position, completePosition: outcome == .info ? Int.max : position,
                invokeLine: lines[invoke.position], completeLine: line))
        }
        for pending in open.values.sorted(by: { $0.position < $1.position }) {
            let e = pending.event
            result.append(RegisterOperation(
                process: e.process, key: e.key ?? 0, function: e.function, value: e.function == .write ? e.value : nil, outcome: .info,
                invokePosition: pending.position, completePosition: Int.max, invokeLine: lines[pending.position], completeLine: 0))
        }
        return result
    }
}
