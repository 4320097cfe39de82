extension HistoryFormat {
    /// ``parse(_:)-([UInt8])`` on bytes in place (a file's `Data`): a canonical
    /// JSON-lines file is read without copying it; any other is copied once
    /// for the general reader.
    public static func parse(contiguous bytes: UnsafeRawBufferPointer) throws -> History {
        let buffer = bytes.assumingMemoryBound(to: UInt8.self)
        if let history = parseCanonicalJSONLines(buffer) { return history }
        return try parseGeneral(Array(buffer))
    }

    /// The fast path of ``parse(_:)-([UInt8])`` for files every line of which is
    /// exactly what ``line(_:)`` writes for JSON lines —
    /// `{"type":"ok","f":"read","process":3,"key":7,"value":null,"time":1200}`
    /// with `key` (an integer) and `time` optional, no spaces, `\n` after
    /// each line — as CAPLab's own runtimes (`caplab stress`, engines) write
    /// them. Such a line is read by one scan of its bytes, with no
    /// intermediate value tree or field dictionary: the general reader
    /// spends most of `caplab check`'s time on a 10⁶-operation history
    /// building one `Datum` and one `[String: Datum]` per event.
    ///
    /// Returns nil at the first line of any other shape (spaces, other
    /// field order, string keys, a `:nemesis` process, a write invoked
    /// without a value, integers with leading zeros or more than 18 digits,
    /// …), and the general reader then reads the whole file: every file
    /// this path accepts reads to the same events, lines and errors as
    /// there, and every error message still comes from the general reader.
    ///
    /// - Complexity: O(bytes), one pass; the events, nothing else.
    static func parseCanonicalJSONLines(_ bytes: UnsafeBufferPointer<UInt8>) -> History? {
        guard bytes.count > 0, bytes[0] == UInt8(ascii: "{") else { return nil }
        var events: [HistoryEvent] = []
        // A canonical line is 55–110 bytes; reserving for 60 avoids most regrowth.
        events.reserveCapacity(bytes.count / 60 + 1)
        var i = 0
        let n = bytes.count

        func expect(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard i + count <= n else { return false }
            let p = literal.utf8Start
            for k in 0..<count where bytes[i + k] != p[k] { return false }
            i += count
            return true
        }
        // -?[1-9][0-9]{0,17} or 0: never overflows Int64, no form the general reader reads otherwise.
        func integer() -> Int64? {
            var negative = false
            if i < n && bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
            let start = i
            var v: Int64 = 0
            while i < n, bytes[i] &- UInt8(ascii: "0") < 10, i - start < 18 {
                v = v &* 10 &+ Int64(bytes[i] &- UInt8(ascii: "0"))
                i += 1
            }
            let digits = i - start
            guard digits > 0, !(digits > 1 && bytes[start] == UInt8(ascii: "0")), !(negative && v == 0) else { return nil }
            // A 19th digit, or a number running into a letter or '.': not canonical.
            if i < n, bytes[i] &- UInt8(ascii: "0") < 10 || bytes[i] == UInt8(ascii: ".") || bytes[i] | 0x20 == UInt8(ascii: "e") { return nil }
            return negative ? -v : v
        }

        while i < n {
            guard expect("{\"type\":\"") else { return nil }
            let type: HistoryEvent.EventType
            if expect("invoke\"") { type = .invoke } else if expect("ok\"") { type = .ok } else if expect("fail\"") { type = .fail }
            else if expect("info\"") { type = .info } else { return nil }
            guard expect(",\"f\":\"") else { return nil }
            let function: HistoryEvent.Function
            if expect("read\"") { function = .read } else if expect("write\"") { function = .write } else { return nil }
            guard expect(",\"process\":"), let process = integer() else { return nil }
            var key: HistoryKey?
            if expect(",\"key\":") {
                guard let k = integer() else { return nil }
                key = .integer(k)
            }
            guard expect(",\"value\":") else { return nil }
            var value: Int64?
            if !expect("null") {
                guard let v = integer() else { return nil }
                value = v
            }
            var time: Int64?
            if expect(",\"time\":") {
                guard let t = integer() else { return nil }
                time = t
            }
            guard expect("}\n") else { return nil }
            // The general reader refuses this line with its own message.
            if type == .invoke && function == .write && value == nil { return nil }
            events.append(HistoryEvent(type: type, function: function, process: process, key: key, value: value, timeNanoseconds: time))
        }
        return History(events: events)
    }
}
