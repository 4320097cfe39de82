/// A sequential specification the linearizability search checks a history
/// against (Herlihy & Wing, TOPLAS 1990): a state, an initial value, and a
/// step that applies one operation or refuses it. Equality and hashing of
/// the state come from `Hashable`; the search memoises (linearized set,
/// state) pairs with them, as Knossos and Porcupine do with their models.
///
/// A model is one small file: ``CasRegisterModel``, ``KeyValueModel``,
/// ``SetModel``, ``RegisterModel``. Every model here is per key (Jepsen's
/// independent checker, Porcupine's partitioned models): the checker splits
/// a history by key and searches each key from ``initial``.
///
/// The read/write register keeps its own specialised search and the zones
/// algorithm (``LinearizabilityChecker``); ``RegisterModel`` exists so the
/// generic search can be cross-checked against that one.
public protocol DataModel {
    associatedtype State: Hashable
    /// One operation's input and output, validated once when the history is read.
    associatedtype Step

    /// `cas-register`, `kv`, `set`, `register`: the `--model` name.
    static var name: String { get }
    /// The `:f` names the model accepts.
    static var functions: Set<String> { get }
    static var initial: State { get }

    /// True when `function`'s value is itself a vector (`:cas [old new]`,
    /// a set's `:read [1 2]`), so a `[key value]` tuple is told apart by
    /// its second item being a vector or nil.
    static func hasVectorValue(_ function: String) -> Bool

    /// The step for one paired operation; nil when it constrains nothing
    /// (an indeterminate read). An `info` operation's step must be allowed
    /// in every state (it may take effect at the end, where nothing sees it).
    /// - Throws: ``HistoryError`` naming the line, the field and what was expected.
    static func step(for op: ModelOperation) throws -> Step?

    /// The state after `step`, or nil when the step is not allowed in `state`.
    static func apply(_ step: Step, to state: State) -> State?

    /// True when `step` never changes the state (a completed read): the
    /// search then takes it as soon as it is allowed and never tries an
    /// alternative to it (Lowe 2017's read pruning). False by default.
    static func isReadOnly(_ step: Step) -> Bool

    /// Bytes `state` holds outside its inline size (a string's or a set's
    /// storage), so the search's memory budget counts what its memo really
    /// holds. 0 by default (a state that is all inline).
    static func heapBytes(_ state: State) -> Int
}

extension DataModel {
    public static func isReadOnly(_ step: Step) -> Bool { false }
    public static func heapBytes(_ state: State) -> Int { 0 }
}

/// A value in a model history: what EDN and JSON can write, less floats and maps.
/// EDN sets (`#{1 2}`) and lists read as ``list``.
public indirect enum ModelValue: Hashable, Sendable, CustomStringConvertible {
    case null
    case integer(Int64)
    case string(String)
    case keyword(String)
    case list([ModelValue])

    public var description: String {
        switch self {
        case .null: return "nil"
        case .integer(let i): return String(i)
        case .string(let s): return "\"" + s + "\""
        case .keyword(let k): return ":" + k
        case .list(let items): return "[" + items.map(\.description).joined(separator: " ") + "]"
        }
    }

    /// The value as a key, when it can be one.
    var key: HistoryKey? {
        switch self {
        case .integer(let i): return .integer(i)
        case .keyword(let k): return .keyword(k)
        case .string(let s): return .string(s)
        case .null, .list: return nil
        }
    }
}

/// One operation of a model history: an invocation paired with its completion.
public struct ModelOperation: Sendable, Equatable {
    public let process: Int64
    public let key: HistoryKey
    public let function: String
    /// The invocation's value (a write's value, `[old new]` of a cas).
    public let input: ModelValue
    /// The completion's value (what a read returned); `.null` with no completion.
    public let output: ModelValue
    public let outcome: RegisterOperation.Outcome
    public let invokePosition: Int
    /// `Int.max` when the operation never completed or completed `info`.
    public let completePosition: Int
    public let invokeLine: Int
    /// 0 when there is no completion event.
    public let completeLine: Int

    /// The line to blame for what the operation returned.
    public var line: Int { completeLine > 0 ? completeLine : invokeLine }
}
