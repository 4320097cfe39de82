/// Knossos's compare-and-set register (Kingsbury, `knossos.model/cas-register`),
/// the model of Jepsen's etcd, Consul and ZooKeeper tests: `:write v`,
/// `:read` returning v, `:cas [old new]` that succeeds (`:ok`) only when the
/// register holds `old`. A `:fail` cas did not take effect and is dropped;
/// an `:info` cas may have taken effect, so it sets `new` when the register
/// holds `old` and otherwise changes nothing. The register starts empty (nil).
public enum CasRegisterModel: DataModel {
    public enum Step {
        case read(ModelValue)
        case write(ModelValue)
        case cas(old: ModelValue, new: ModelValue, certain: Bool)
    }

    public static let name = "cas-register"
    public static let functions: Set<String> = ["read", "write", "cas"]
    public static let initial = ModelValue.null

    public static func hasVectorValue(_ function: String) -> Bool { function == "cas" }

    public static func step(for op: ModelOperation) throws -> Step? {
        switch op.function {
        case "read":
            return op.outcome == .ok ? .read(op.output) : nil
        case "write":
            guard op.input != .null else { throw HistoryError(line: op.invokeLine, "field 'value': a write's invoke needs a value") }
            return .write(op.input)
        default:
            guard case .list(let pair) = op.input, pair.count == 2 else {
                throw HistoryError(line: op.invokeLine, "field 'value': expected [old new] for a cas, got \(op.input)")
            }
            return .cas(old: pair[0], new: pair[1], certain: op.outcome == .ok)
        }
    }

    public static func apply(_ step: Step, to state: ModelValue) -> ModelValue? {
        switch step {
        case .read(let v): return v == state ? state : nil
        case .write(let v): return v
        case .cas(let old, let new, let certain):
            if state == old { return new }
            return certain ? nil : state
        }
    }

    public static func isReadOnly(_ step: Step) -> Bool {
        if case .read = step { return true }
        return false
    }
}
