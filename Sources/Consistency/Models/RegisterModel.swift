/// The read/write register as a ``DataModel``: `:write v`, `:read` returning
/// v, initially empty (nil). `caplab check` decides registers with
/// ``LinearizabilityChecker`` (zones and a specialised search); this model
/// runs the generic ``ModelSearch`` on the same histories so the tests can
/// cross-check the two searches.
public enum RegisterModel: DataModel {
    public enum Step {
        case read(ModelValue)
        case write(ModelValue)
    }

    public static let name = "register"
    public static let functions: Set<String> = ["read", "write"]
    public static let initial = ModelValue.null

    public static func hasVectorValue(_ function: String) -> Bool { false }

    public static func step(for op: ModelOperation) throws -> Step? {
        if op.function == "write" { return .write(op.input) }
        return op.outcome == .ok ? .read(op.output) : nil
    }

    public static func apply(_ step: Step, to state: ModelValue) -> ModelValue? {
        switch step {
        case .read(let v): return v == state ? state : nil
        case .write(let v): return v
        }
    }

    public static func isReadOnly(_ step: Step) -> Bool {
        if case .read = step { return true }
        return false
    }
}
