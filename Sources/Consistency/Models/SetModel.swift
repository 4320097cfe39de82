/// A set of elements, initially empty: `:add x`, `:remove x` (removing an
/// absent element changes nothing) and `:read` returning the whole set
/// (a vector, list or EDN set `#{...}`, order ignored). Without `:remove`
/// it is the grow-only set of Jepsen's set workload, checked here for
/// linearizability (each read sees exactly the adds linearized before it).
public enum SetModel: DataModel {
    public enum Step {
        case add(ModelValue)
        case remove(ModelValue)
        case read(Set<ModelValue>)
    }

    public static let name = "set"
    public static let functions: Set<String> = ["add", "remove", "read"]
    public static let initial = Set<ModelValue>()

    /// The elements' slots, about one and a third per element (an upper bound on shared storage).
    public static func heapBytes(_ state: Set<ModelValue>) -> Int { state.count * (MemoryLayout<ModelValue>.stride + 8) * 4 / 3 }

    public static func hasVectorValue(_ function: String) -> Bool { function == "read" }

    public static func step(for op: ModelOperation) throws -> Step? {
        switch op.function {
        case "read":
            guard op.outcome == .ok else { return nil }
            switch op.output {
            case .list(let items): return .read(Set(items))
            case .null: return .read([])
            default: throw HistoryError(line: op.completeLine, "field 'value': expected the whole set (a vector or #{...}) for a read, got \(op.output)")
            }
        default:
            if case .list = op.input { throw HistoryError(line: op.invokeLine, "field 'value': expected one element for \(op.function), got \(op.input)") }
            if op.input == .null { throw HistoryError(line: op.invokeLine, "field 'value': \(op.function) needs an element") }
            return op.function == "add" ? .add(op.input) : .remove(op.input)
        }
    }

    public static func apply(_ step: Step, to state: Set<ModelValue>) -> Set<ModelValue>? {
        switch step {
        case .add(let x):
            var s = state
            s.insert(x)
            return s
        case .remove(let x):
            var s = state
            s.remove(x)
            return s
        case .read(let seen): return seen == state ? state : nil
        }
    }

    public static func isReadOnly(_ step: Step) -> Bool {
        if case .read = step { return true }
        return false
    }
}
