@testable import Consistency
import Stats

/// Builds histories event by event: `h.invoke(0, .write, 1); h.ok(0, .write, 1)`.
struct HistoryBuilder {
    var events: [HistoryEvent] = []

    mutating func invoke(_ p: Int64, _ f: HistoryEvent.Function, _ v: Int64? = nil, key: HistoryKey? = nil) {
        events.append(HistoryEvent(type: .invoke, function: f, process: p, key: key, value: v))
    }
    mutating func ok(_ p: Int64, _ f: HistoryEvent.Function, _ v: Int64? = nil, key: HistoryKey? = nil) {
        events.append(HistoryEvent(type: .ok, function: f, process: p, key: key, value: v))
    }
    mutating func fail(_ p: Int64, _ f: HistoryEvent.Function, _ v: Int64? = nil, key: HistoryKey? = nil) {
        events.append(HistoryEvent(type: .fail, function: f, process: p, key: key, value: v))
    }
    mutating func info(_ p: Int64, _ f: HistoryEvent.Function, _ v: Int64? = nil, key: HistoryKey? = nil) {
        events.append(HistoryEvent(type: .info, function: f, process: p, key: key, value: v))
    }
    /// A whole operation with nothing overlapping it.
    mutating func op(_ p: Int64, _ f: HistoryEvent.Function, _ v: Int64?, key: HistoryKey? = nil) {
        invoke(p, f, f == .write ? v : nil, key: key)
        ok(p, f, v, key: key)
    }

    var history: History { History(events: events) }
}

/// The definition, searched naively: some subset of the indeterminate writes
/// and every completed operation, in some order that respects real time,
/// is a legal sequential register run. Exponential; for a handful of operations.
enum BruteForce {
    static func linearizable(_ history: History) throws -> Bool {
        let all = try history.operations()
        var byKey: [HistoryKey: [RegisterOperation]] = [:]
        for op in all where op.outcome != .fail && !(op.function == .read && op.outcome == .info) {
            byKey[op.key, default: []].append(op)
        }
        return byKey.values.allSatisfy { linearizableKey($0) }
    }

    /// `initial`: what the register held before the first operation (nil: empty).
    static func linearizableKey(_ ops: [RegisterOperation], initial: Int64? = nil) -> Bool {
        let optional = ops.indices.filter { ops[$0].outcome == .info }
        for mask in 0..<(1 << optional.count) {
            var chosen = ops.indices.filter { ops[$0].outcome != .info }
            for (bit, i) in optional.enumerated() where mask & (1 << bit) != 0 { chosen.append(i) }
            if order(ops, chosen, placed: [], state: initial) { return true }
        }
        return false
    }

    /// The definition of a real window, checked naively and without the
    /// checker's code: the window's operations plus every write of the key
    /// that overlaps the window's span (from the history's start when the
    /// window claims the empty register), those writes free to take effect
    /// at any time after their invocation or not at all, have no order —
    /// from the empty register, or from every value the register could hold.
    static func isRealWindow(_ violation: LinearizabilityChecker.Violation, in history: History) throws -> Bool {
        let keyOps = try history.operations().filter { $0.key == violation.key && $0.outcome != .fail }
        let window = violation.window
        guard !window.isEmpty, window.allSatisfy({ $0.outcome == .ok }) else { return false }
        let start = violation.fromEmptyRegister ? Int.min : window.map(\.invokePosition).min()!
        let end = window.map(\.completePosition).max()!
        let free = keyOps.filter { op in
            op.function == .write && op.invokePosition < end && op.completePosition > start && !window.contains(op)
        }.map { op in
            RegisterOperation(process: op.process, key: op.key, function: .write, value: op.value, outcome: .info,
                              invokePosition: op.invokePosition, completePosition: Int.max, invokeLine: op.invokeLine, completeLine: 0)
        }
        let ops = window + free
        // Every value a window read returns, and one none does (all others behave like it).
        var initials: [Int64?] = [nil]
        if !violation.fromEmptyRegister {
            let read = Set(window.filter { $0.function == .read }.compactMap(\.value))
            initials += read.sorted().map { $0 } + [(keyOps.compactMap(\.value).max() ?? 0) + 1]
        }
        return initials.allSatisfy { !linearizableKey(ops, initial: $0) }
    }

    /// The check the issue names: the key's history up to the window's last
    /// line, with operations still in flight there (writes) free to take effect, from the empty register.
    static func prefixIsLinearizable(_ violation: LinearizabilityChecker.Violation, in history: History) throws -> Bool {
        let cut = violation.window.map(\.completePosition).max()!
        var ops: [RegisterOperation] = []
        for op in try history.operations() where op.key == violation.key && op.outcome != .fail && op.invokePosition < cut {
            if op.completePosition <= cut {
                if !(op.function == .read && op.outcome == .info) { ops.append(op) }
            } else if op.function == .write {
                ops.append(RegisterOperation(process: op.process, key: op.key, function: .write, value: op.value, outcome: .info,
                                             invokePosition: op.invokePosition, completePosition: Int.max, invokeLine: op.invokeLine, completeLine: 0))
            }
        }
        return linearizableKey(ops)
    }

    static func order(_ ops: [RegisterOperation], _ remaining: [Int], placed: [Int], state: Int64?) -> Bool {
        if remaining.isEmpty { return true }
        for (slot, i) in remaining.enumerated() {
            let op = ops[i]
            // Every remaining operation that returned before this one's invoke must come first.
            if remaining.contains(where: { ops[$0].completePosition < op.invokePosition }) { continue }
            if op.function == .read && op.value != state { continue }
            var rest = remaining
            rest.remove(at: slot)
            if order(ops, rest, placed: placed + [i], state: op.function == .write ? op.value : state) { return true }
        }
        return false
    }
}

/// Random small register histories: a hidden register that operations
/// really change somewhere in their interval, with reads that sometimes lie,
/// writes that sometimes end `info` or `fail`.
struct RandomHistory {
    var rng: Xoshiro256StarStar
    /// Every write a new value (as the threaded runtime's request ids); otherwise values from 1...3.
    var uniqueValues = false
    var nextValue: Int64 = 1

    mutating func chance(_ p: Double) -> Bool { rng.nextUnitDouble() < p }
    mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }

    mutating func make(operations: Int, processes: Int) -> History {
        var h = HistoryBuilder()
        var register: Int64?
        var pending: [Int64: (f: HistoryEvent.Function, v: Int64?, applied: Bool)] = [:]
        var started = 0
        var nextProcess = Int64(processes)
        var idle = (0..<Int64(processes)).map { $0 }
        while started < operations || !pending.isEmpty {
            let canStart = started < operations && !idle.isEmpty
            if canStart && (pending.isEmpty || chance(0.5)) {
                let p = idle.remove(at: below(idle.count))
                let isWrite = chance(0.5)
                var v: Int64?
                if isWrite {
                    v = uniqueValues ? nextValue : Int64(1 + below(3))
                    nextValue += 1
                }
                h.invoke(p, isWrite ? .write : .read, v)
                pending[p] = (isWrite ? .write : .read, v, false)
                started += 1
                continue
            }
            let p = pending.keys.sorted()[below(pending.count)]
            var op = pending[p]!
            if !op.applied && chance(0.5) {
                // Take effect now, stay pending.
                if op.f == .write { register = op.v } else { op.v = register }
                op.applied = true
                pending[p] = op
                continue
            }
            pending[p] = nil
            if !op.applied {
                if op.f == .write { register = op.v } else { op.v = register }
            }
            if op.f == .read {
                let value = chance(0.8) ? op.v : (chance(0.3) ? nil : uniqueValues ? Int64(1 + below(Int(nextValue))) : Int64(1 + below(3)))
                h.ok(p, .read, value)
                idle.append(p)
            } else if chance(0.15) {
                h.info(p, .write, op.v)
                idle.append(nextProcess) // Jepsen: a crashed process is replaced by a new one
                nextProcess += 1
            } else if chance(0.1) {
                h.fail(p, .write, op.v) // claimed failed — wrong if it was applied, which the checker must catch
                idle.append(p)
            } else {
                h.ok(p, .write, op.v)
                idle.append(p)
            }
        }
        return h.history
    }
}

extension History {
    /// Every `every`-th successful read returns instead what the read `behind`
    /// reads earlier returned: with fresh values and real concurrency, a stale read.
    mutating func makeReadsStale(every: Int, behind: Int) {
        var readValues: [Int64?] = []
        for i in events.indices where events[i].type == .ok && events[i].function == .read {
            readValues.append(events[i].value)
            if readValues.count % every == 0 { events[i].value = readValues[readValues.count - behind] }
        }
    }
}
