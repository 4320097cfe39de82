/// The models `caplab check --model` names, and the rule that infers one
/// from the operations when none is named.
public enum ModelKind: String, Sendable, CaseIterable {
    case register
    case casRegister = "cas-register"
    case kv
    case set

    /// The model the operations call for, and why:
    /// - any `:get`, `:put` or `:append` → `kv` (Porcupine's key–value);
    /// - else any `:cas` → `cas-register` (Knossos);
    /// - else any `:add` or `:remove` → `set`;
    /// - else (only `:read` and `:write`) → `register`.
    /// Functions of two of kv, cas and set in one history have no model.
    /// - Throws: ``HistoryError`` at the first function no model takes, or
    ///   at the first one that conflicts with an earlier family.
    public static func infer(_ history: ModelHistory) throws -> (kind: ModelKind, reason: String) {
        var first: [ModelKind: (function: String, line: Int)] = [:]
        for e in history.events {
            let family: ModelKind
            switch e.function {
            case "read", "write": continue
            case "get", "put", "append": family = .kv
            case "cas": family = .casRegister
            case "add", "remove": family = .set
            default:
                throw HistoryError(line: e.line, "field 'f': expected read, write, cas, get, put, append, add or remove, got :\(e.function)")
            }
            if first[family] == nil {
                if let (other, seen) = first.first {
                    throw HistoryError(line: e.line, "field 'f': :\(e.function) (\(family.rawValue)) cannot share a history with :\(seen.function) on line \(seen.line) (\(other.rawValue)); no model takes both")
                }
                first[family] = (e.function, e.line)
            }
        }
        guard let (kind, seen) = first.first else { return (.register, "every operation is :read or :write") }
        return (kind, ":\(seen.function) on line \(seen.line)")
    }

    /// Checks `history` against this model with the generic search.
    /// (The CLI sends `register` to ``LinearizabilityChecker`` instead.)
    public func check(_ history: ModelHistory, with checker: ModelChecker) throws -> ModelChecker.Report {
        try check(operations: operations(history), with: checker)
    }

    /// Checks operations already read by ``operations(_:)`` (so a caller that
    /// also draws them reads the history once).
    public func check(operations: [ModelOperation], with checker: ModelChecker) throws -> ModelChecker.Report {
        switch self {
        case .register: return try checker.check(operations, as: RegisterModel.self)
        case .casRegister: return try checker.check(operations, as: CasRegisterModel.self)
        case .kv: return try checker.check(operations, as: KeyValueModel.self)
        case .set: return try checker.check(operations, as: SetModel.self)
        }
    }

    /// The history's operations as this model reads them (``ModelHistory/operations(_:)``).
    public func operations(_ history: ModelHistory) throws -> [ModelOperation] {
        switch self {
        case .register: return try history.operations(RegisterModel.self)
        case .casRegister: return try history.operations(CasRegisterModel.self)
        case .kv: return try history.operations(KeyValueModel.self)
        case .set: return try history.operations(SetModel.self)
        }
    }
}
