@testable import Consistency
import Stats

/// The definition, searched naively for any model: the completed operations
/// and any subset of the indeterminate ones, in an order that respects real
/// time (an operation goes after every completed one that returned before it
/// was invoked), form a legal sequential run of the model. Exponential; for
/// a handful of operations per key.
enum ModelBruteForce {
    static func linearizable<M: DataModel>(_ model: M.Type, _ history: ModelHistory) throws -> Bool {
        var byKey: [HistoryKey: [ModelOperation]] = [:]
        for op in try history.operations(M.self) where op.outcome != .fail { byKey[op.key, default: []].append(op) }
        return try byKey.values.allSatisfy { try key(M.self, $0) }
    }

    static func key<M: DataModel>(_ model: M.Type, _ all: [ModelOperation]) throws -> Bool {
        var ops: [(op: ModelOperation, step: M.Step)] = []
        for op in all { if let s = try M.step(for: op) { ops.append((op, s)) } }
        let required = ops.indices.filter { ops[$0].op.outcome == .ok }
        var dead = Set<Pair<M.State>>()
        func search(_ placed: UInt32, _ state: M.State) -> Bool {
            if required.allSatisfy({ placed & (1 << $0) != 0 }) { return true }
            if dead.contains(Pair(placed: placed, state: state)) { return false }
            for i in ops.indices where placed & (1 << i) == 0 {
                let blocked = required.contains { j in j != i && placed & (1 << j) == 0 && ops[j].op.completePosition < ops[i].op.invokePosition }
                if blocked { continue }
                if let next = M.apply(ops[i].step, to: state), search(placed | (1 << i), next) { return true }
            }
            dead.insert(Pair(placed: placed, state: state))
            return false
        }
        return search(0, M.initial)
    }

    struct Pair<State: Hashable>: Hashable {
        let placed: UInt32
        let state: State
    }
}

/// What a real object does with one operation, written independently of
/// the models: the new state, what the operation returns, and whether it
/// succeeded (a cas whose expected value is absent fails).
protocol ReferenceObject {
    associatedtype State
    static var initial: State { get }
    static func randomOperation(_ g: inout ModelHistoryGenerator) -> (function: String, input: ModelValue)
    static func perform(_ function: String, _ input: ModelValue, on state: inout State) -> (output: ModelValue, ok: Bool)
    /// A plausible wrong result for a read-like operation (nil when the operation returns nothing).
    static func wrongOutput(_ function: String, _ output: ModelValue, _ g: inout ModelHistoryGenerator) -> ModelValue?
}

enum CasObject: ReferenceObject {
    static let initial = ModelValue.null
    static func value(_ g: inout ModelHistoryGenerator) -> ModelValue { .integer(Int64(g.below(3))) }
    static func randomOperation(_ g: inout ModelHistoryGenerator) -> (function: String, input: ModelValue) {
        switch g.below(3) {
        case 0: return ("read", .null)
        case 1: return ("write", value(&g))
        default: return ("cas", .list([value(&g), value(&g)]))
        }
    }
    static func perform(_ function: String, _ input: ModelValue, on state: inout ModelValue) -> (output: ModelValue, ok: Bool) {
        switch function {
        case "read": return (state, true)
        case "write": state = input; return (input, true)
        default:
            guard case .list(let pair) = input, pair[0] == state else { return (input, false) }
            state = pair[1]
            return (input, true)
        }
    }
    static func wrongOutput(_ function: String, _ output: ModelValue, _ g: inout ModelHistoryGenerator) -> ModelValue? {
        function == "read" ? value(&g) : nil
    }
}

enum KeyValueObject: ReferenceObject {
    static let initial = ""
    static func randomOperation(_ g: inout ModelHistoryGenerator) -> (function: String, input: ModelValue) {
        switch g.below(3) {
        case 0: return ("get", .null)
        case 1: return ("put", .string(["a", "b"][g.below(2)]))
        default: return ("append", .string(["x", "y", "z"][g.below(3)]))
        }
    }
    static func perform(_ function: String, _ input: ModelValue, on state: inout String) -> (output: ModelValue, ok: Bool) {
        guard case .string(let s) = input else { return (.string(state), true) }
        if function == "put" { state = s } else { state.append(s) }
        return (input, true)
    }
    static func wrongOutput(_ function: String, _ output: ModelValue, _ g: inout ModelHistoryGenerator) -> ModelValue? {
        guard function == "get", case .string(let s) = output else { return nil }
        return .string(g.below(2) == 0 ? String(s.dropLast()) : s + "x")
    }
}

enum SetObject: ReferenceObject {
    static let initial: [Int64] = []
    static func randomOperation(_ g: inout ModelHistoryGenerator) -> (function: String, input: ModelValue) {
        switch g.below(4) {
        case 0: return ("read", .null)
        case 1: return ("remove", .integer(Int64(g.below(3))))
        default: return ("add", .integer(Int64(g.below(3))))
        }
    }
    static func perform(_ function: String, _ input: ModelValue, on state: inout [Int64]) -> (output: ModelValue, ok: Bool) {
        switch (function, input) {
        case ("add", .integer(let x)): if !state.contains(x) { state.append(x) }
        case ("remove", .integer(let x)): state.removeAll { $0 == x }
        default: return (.list(state.sorted().map { .integer($0) }), true)
        }
        return (input, true)
    }
    static func wrongOutput(_ function: String, _ output: ModelValue, _ g: inout ModelHistoryGenerator) -> ModelValue? {
        guard function == "read", case .list(let items) = output else { return nil }
        let x = ModelValue.integer(Int64(g.below(3)))
        return .list(items.contains(x) ? items.filter { $0 != x } : items + [x])
    }
}

/// Random histories of a ``ReferenceObject`` run by concurrent processes:
/// each operation takes effect at a random moment while it is pending (so
/// the history is linearizable), some complete `info` (taking effect or
/// not), some never complete; with `corruption`, one result is then
/// replaced by a wrong one (so some histories are not).
struct ModelHistoryGenerator {
    var rng: Xoshiro256StarStar
    var corruption = 0.0
    var keys = 1

    mutating func chance(_ p: Double) -> Bool { rng.nextUnitDouble() < p }
    mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }

    mutating func make<O: ReferenceObject>(_ object: O.Type, operations: Int, processes: Int) -> ModelHistory {
        var history = ModelHistory()
        var states = [O.State](repeating: O.initial, count: keys)
        var pending: [Int64: (function: String, key: Int, input: ModelValue, result: (output: ModelValue, ok: Bool)?)] = [:]
        var idle = (0..<Int64(processes)).map { $0 }
        var nextProcess = Int64(processes)
        var started = 0
        func event(_ type: HistoryEvent.EventType, _ f: String, _ p: Int64, _ key: Int, _ v: ModelValue) -> ModelHistory.Event {
            ModelHistory.Event(type: type, function: f, process: p, key: .integer(Int64(key)), value: v, line: history.events.count + 1)
        }
        while started < operations || !pending.isEmpty {
            if started < operations && !idle.isEmpty && (pending.isEmpty || chance(0.5)) {
                let p = idle.remove(at: below(idle.count))
                let (f, input) = O.randomOperation(&self)
                let key = below(keys)
                history.events.append(event(.invoke, f, p, key, input))
                pending[p] = (f, key, input, nil)
                started += 1
                continue
            }
            let p = pending.keys.sorted()[below(pending.count)]
            var op = pending[p]!
            if op.result == nil && !chance(0.1) {
                op.result = O.perform(op.function, op.input, on: &states[op.key])
                pending[p] = op
                continue
            }
            pending[p] = nil
            let roll = rng.nextUnitDouble()
            if roll < 0.05 {
                // Never completes: the process is gone; a fresh one takes its place.
                idle.append(nextProcess)
                nextProcess += 1
                continue
            }
            idle.append(p)
            guard let result = op.result, roll >= 0.15 else {
                history.events.append(event(.info, op.function, p, op.key, .null))
                continue
            }
            history.events.append(event(result.ok ? .ok : .fail, op.function, p, op.key, result.output))
        }
        if chance(corruption) {
            let completions = history.events.indices.filter { history.events[$0].type != .invoke }
            if !completions.isEmpty {
                let i = completions[below(completions.count)]
                var e = history.events[i]
                if e.type == .fail { e.type = .ok } else if let wrong = O.wrongOutput(e.function, e.value, &self) { e.value = wrong }
                history.events[i] = e
            }
        }
        return history
    }
}
