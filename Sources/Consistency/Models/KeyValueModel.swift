/// Porcupine's key–value model (Athalye, `porcupine/kv`; the model of its
/// etcd and MIT 6.824 kv histories): each key holds a string, initially
/// empty; `:put v` sets it, `:append v` appends `v`, `:get` returns it.
/// `:write`/`:read` are accepted as `:put`/`:get`. A get that completed
/// `:ok` with nil returned the empty string (Porcupine's missing key).
/// Integer values are taken as their decimal text.
public enum KeyValueModel: DataModel {
    public enum Step {
        case get(String)
        case put(String)
        case append(String)
    }

    public static let name = "kv"
    public static let functions: Set<String> = ["get", "put", "append", "read", "write"]
    public static let initial = ""

    /// The string's bytes (an upper bound: copies may share storage).
    public static func heapBytes(_ state: String) -> Int { state.utf8.count }

    public static func hasVectorValue(_ function: String) -> Bool { false }

    static func text(_ v: ModelValue, line: Int, _ what: String) throws -> String {
        switch v {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .null: return ""
        default: throw HistoryError(line: line, "field 'value': expected a string for \(what), got \(v)")
        }
    }

    public static func step(for op: ModelOperation) throws -> Step? {
        switch op.function {
        case "get", "read":
            return op.outcome == .ok ? .get(try text(op.output, line: op.completeLine, "a get's result")) : nil
        case "put", "write":
            return .put(try text(op.input, line: op.invokeLine, "a put"))
        default:
            return .append(try text(op.input, line: op.invokeLine, "an append"))
        }
    }

    public static func apply(_ step: Step, to state: String) -> String? {
        switch step {
        case .get(let v): return v == state ? state : nil
        case .put(let v): return v
        case .append(let v): return state + v
        }
    }

    public static func isReadOnly(_ step: Step) -> Bool {
        if case .get = step { return true }
        return false
    }
}
