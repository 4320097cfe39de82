extension History {
    /// A linearizable register history for benchmarks and the regression
    /// gate: `rounds` rounds on keys drawn from `0..<keys`, each a write
    /// overlapping a read (which returns the old or the new value, at
    /// random), then a read of the new value — three operations per round,
    /// linearizable by construction, and with enough overlap that the
    /// checker must search.
    ///
    /// - Complexity: O(rounds) time and memory.
    public static func overlappingWrites<G: RandomNumberGenerator>(rounds: Int, keys: Int, using rng: inout G) -> History {
        var events: [HistoryEvent] = []
        events.reserveCapacity(rounds * 6)
        var register: [Int64: Int64] = [:]
        for round in 0..<rounds {
            let key = Int64(rng.next() % UInt64(keys))
            let value = Int64(round + 1)
            let p = Int64(3 * round)
            events.append(HistoryEvent(type: .invoke, function: .write, process: p, key: key, value: value))
            events.append(HistoryEvent(type: .invoke, function: .read, process: p + 1, key: key))
            events.append(HistoryEvent(type: .ok, function: .read, process: p + 1, key: key, value: rng.next() % 2 == 0 ? register[key] : value))
            events.append(HistoryEvent(type: .ok, function: .write, process: p, key: key, value: value))
            register[key] = value
            events.append(HistoryEvent(type: .invoke, function: .read, process: p + 2, key: key))
            events.append(HistoryEvent(type: .ok, function: .read, process: p + 2, key: key, value: value))
        }
        return History(events: events)
    }
}
