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
        var register: [HistoryKey: Int64] = [:]
        for round in 0..<rounds {
            let key = HistoryKey.integer(Int64(rng.next() % UInt64(keys)))
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

extension History {
    /// A linearizable register history with real concurrency, for measuring
    /// the checker: `processes` clients each run one operation at a time on a
    /// key drawn from `0..<keys`, half of them writes of fresh values; every
    /// operation takes effect at a random moment between its invocation and
    /// its completion, and a read returns what its key held at that moment.
    /// About `processes / keys` operations are in flight per key.
    ///
    /// - Complexity: O(operations · processes) time, O(operations) memory.
    public static func concurrentRegisters<G: RandomNumberGenerator>(operations: Int, keys: Int, processes: Int, using rng: inout G) -> History {
        var events: [HistoryEvent] = []
        events.reserveCapacity(operations * 2)
        var register: [HistoryKey: Int64] = [:]
        var pending: [Int64: SyntheticPending] = [:]
        var idle = (0..<Int64(processes)).map { $0 }
        var started = 0
        var nextValue: Int64 = 1
        while started < operations || !pending.isEmpty {
            if started < operations && !idle.isEmpty && (pending.isEmpty || rng.next() % 2 == 0) {
                let p = idle.remove(at: Int(rng.next() % UInt64(idle.count)))
                let key = HistoryKey.integer(Int64(rng.next() % UInt64(keys)))
                let isWrite = rng.next() % 2 == 0
                let value: Int64? = isWrite ? nextValue : nil
                if isWrite { nextValue += 1 }
                events.append(HistoryEvent(type: .invoke, function: isWrite ? .write : .read, process: p, key: key, value: value))
                pending[p] = SyntheticPending(key: key, isWrite: isWrite, value: value)
                started += 1
                continue
            }
            let keysPending = pending.keys.sorted()
            let p = keysPending[Int(rng.next() % UInt64(keysPending.count))]
            var op = pending[p]!
            if !op.applied {
                if op.isWrite { register[op.key] = op.value } else { op.value = register[op.key] }
                op.applied = true
                pending[p] = op
                if rng.next() % 2 == 0 { continue } // completes later
            }
            pending[p] = nil
            events.append(HistoryEvent(type: .ok, function: op.isWrite ? .write : .read, process: p, key: op.key, value: op.value))
            idle.append(p)
        }
        return History(events: events)
    }
}

/// An operation of ``History/concurrentRegisters(operations:keys:processes:using:)`` in flight.
private struct SyntheticPending {
    let key: HistoryKey
    let isWrite: Bool
    var value: Int64?
    var applied = false
}
