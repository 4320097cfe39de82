/// The name of one register (or map entry) in a multi-key history: an
/// integer, as CAPLab writes it, or an EDN keyword or string, as Jepsen's
/// independent checker often does (`:value [:a 1]`, `["x" 1]`).
///
/// Keys order integers first (by value), then keywords, then strings (by
/// their text), so reports list keys in a stable order.
public enum HistoryKey: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    case integer(Int64)
    case keyword(String)
    case string(String)

    public init(integerLiteral value: Int64) { self = .integer(value) }

    /// `7`, `:a`, `"x"`: as the key is written in EDN.
    public var description: String {
        switch self {
        case .integer(let i): return String(i)
        case .keyword(let k): return ":" + k
        case .string(let s): return "\"" + s + "\""
        }
    }

    private var rank: Int {
        switch self {
        case .integer: return 0
        case .keyword: return 1
        case .string: return 2
        }
    }

    public static func < (a: HistoryKey, b: HistoryKey) -> Bool {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x < y
        case (.keyword(let x), .keyword(let y)), (.string(let x), .string(let y)): return x < y
        default: return a.rank < b.rank
        }
    }
}
