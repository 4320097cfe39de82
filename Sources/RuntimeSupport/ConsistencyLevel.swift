/// How many replica answers an operation waits for, by Cassandra's names
/// (Apache Cassandra documentation, "Tunable consistency"; Lakshman &
/// Malik, "Cassandra", LADIS 2009) or as an explicit count (Dynamo's R and W).
/// `QUORUM` is ⌊N/2⌋ + 1 over all N replicas; `LOCAL_*` count only the
/// coordinator's datacenter; `EACH_QUORUM` needs a quorum in every
/// datacenter that holds replicas.
public enum ConsistencyLevel: Sendable, Hashable, CustomStringConvertible {
    case one, two, three, quorum, all, localOne, localQuorum, eachQuorum
    case count(Int)

    /// Every named level, for messages and `--help`.
    public static let names = ["ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_ONE", "LOCAL_QUORUM", "EACH_QUORUM"]

    /// A name from ``names`` (any case) or a positive count.
    public init?(parsing text: String) {
        switch text.uppercased() {
        case "ONE": self = .one
        case "TWO": self = .two
        case "THREE": self = .three
        case "QUORUM": self = .quorum
        case "ALL": self = .all
        case "LOCAL_ONE": self = .localOne
        case "LOCAL_QUORUM": self = .localQuorum
        case "EACH_QUORUM": self = .eachQuorum
        default:
            guard let k = Int(text), k >= 1 else { return nil }
            self = .count(k)
        }
    }

    public var description: String {
        switch self {
        case .one: "ONE"
        case .two: "TWO"
        case .three: "THREE"
        case .quorum: "QUORUM"
        case .all: "ALL"
        case .localOne: "LOCAL_ONE"
        case .localQuorum: "LOCAL_QUORUM"
        case .eachQuorum: "EACH_QUORUM"
        case .count(let k): String(k)
        }
    }

    /// Whether the level counts answers regardless of datacenter (so a Dynamo R/W count expresses it).
    public var isCount: Bool {
        switch self {
        case .localOne, .localQuorum, .eachQuorum: false
        default: true
        }
    }

    /// What answers complete an operation: `perDatacenter[d]` from
    /// datacenter d, plus `total` from anywhere.
    public struct Requirement: Sendable, Equatable {
        public var perDatacenter: [Int]
        public var total: Int

        /// Whether answers available per datacenter can meet it.
        public func isMet(byAvailable available: [Int]) -> Bool {
            for d in available.indices where available[d] < perDatacenter[d] { return false }
            return available.reduce(0, +) >= total + perDatacenter.reduce(0, +)
        }

        /// Answers it waits for.
        public var answers: Int { total + perDatacenter.reduce(0, +) }
    }

    static func majority(_ n: Int) -> Int { n / 2 + 1 }

    /// The requirement with `replicas` per datacenter for a coordinator in
    /// `coordinator`, or nil when no full set of replicas could meet it (a
    /// count above N; a local level with no local replica).
    public func requirement(replicas: [Int], coordinator: Int) -> Requirement? {
        let n = replicas.reduce(0, +)
        var perDatacenter = Array(repeating: 0, count: replicas.count)
        var total = 0
        switch self {
        case .one: total = 1
        case .two: total = 2
        case .three: total = 3
        case .quorum: total = Self.majority(n)
        case .all: total = n
        case .count(let k): total = k
        case .localOne:
            guard replicas[coordinator] >= 1 else { return nil }
            perDatacenter[coordinator] = 1
        case .localQuorum:
            guard replicas[coordinator] >= 1 else { return nil }
            perDatacenter[coordinator] = Self.majority(replicas[coordinator])
        case .eachQuorum:
            for d in replicas.indices where replicas[d] > 0 { perDatacenter[d] = Self.majority(replicas[d]) }
        }
        guard n >= 1, total <= n else { return nil }
        return Requirement(perDatacenter: perDatacenter, total: total)
    }

    /// Replicas the coordinator contacts: the local ones for a local level, all N otherwise.
    public func contacted(replicas: [Int], coordinator: Int) -> Int {
        switch self {
        case .localOne, .localQuorum: replicas[coordinator]
        default: replicas.reduce(0, +)
        }
    }
}
