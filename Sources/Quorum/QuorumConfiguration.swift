/// How a Dynamo-style store replicates (DeCandia et al., "Dynamo: Amazon's
/// Highly Available Key-value Store", SOSP 2007, §4): N replicas per key,
/// a write answers after W acks, a read after R responses.
public struct QuorumConfiguration: Sendable, Equatable {
    public enum ReadRepair: String, Sendable, CaseIterable {
        /// Stale replicas stay stale until the next write reaches them.
        case off
        /// The coordinator writes the newest version to stale replicas of the read set and answers after they ack.
        case blocking
        /// The coordinator answers at R responses, then repairs every stale responder it hears from until the timeout.
        case background
    }

    /// Consistency-level shorthands, as Cassandra names them.
    public enum Level: String, Sendable, CaseIterable {
        case one, quorum, all

        public func count(n: Int) -> Int {
            switch self {
            case .one: return 1
            case .quorum: return n / 2 + 1
            case .all: return n
            }
        }
    }

    public var n: Int
    public var r: Int
    public var w: Int
    /// A request that has not reached its quorum by then fails (ns).
    public var timeoutNanoseconds: Int64
    public var readRepair: ReadRepair
    /// Sloppy quorum: replicas that have not answered by `fallbackAfterNanoseconds`
    /// are replaced by the next nodes on the ring, which keep the write with a hint.
    public var sloppyQuorum: Bool
    public var fallbackAfterNanoseconds: Int64
    /// How often a node tries to hand hinted writes back to their owners (ns).
    public var handoffIntervalNanoseconds: Int64
    /// Probabilistic (random) quorums: send a write to only W and a read to
    /// only R of the N owners, chosen uniformly with the request's
    /// `replicaChoice` — the model behind the closed form C(N−W,R)/C(N,R)
    /// (Bailis et al., PVLDB 2012, §3.1; Malkhi et al., "Probabilistic quorum systems", 2001).
    public var contactOnlyQuorum: Bool = false
    /// How replicas order a key's versions: last writer wins, or vector clocks with siblings.
    public var versioning: Versioning = .lww
    /// The Raft core's options (read mode, PreVote, CheckQuorum, timeouts, durability); other cores ignore them.
    public var raft = RaftConfiguration()

    public init(n: Int, r: Int, w: Int, timeoutNanoseconds: Int64 = 100_000_000, readRepair: ReadRepair = .off,
                sloppyQuorum: Bool = false, fallbackAfterNanoseconds: Int64? = nil, handoffIntervalNanoseconds: Int64 = 50_000_000) {
        precondition(n >= 1 && (1...n).contains(r) && (1...n).contains(w), "a quorum needs 1 ≤ R, W ≤ N")
        self.n = n
        self.r = r
        self.w = w
        self.timeoutNanoseconds = timeoutNanoseconds
        self.readRepair = readRepair
        self.sloppyQuorum = sloppyQuorum
        self.fallbackAfterNanoseconds = fallbackAfterNanoseconds ?? timeoutNanoseconds / 4
        self.handoffIntervalNanoseconds = handoffIntervalNanoseconds
    }

    /// R and W from consistency levels.
    public init(n: Int, read: Level, write: Level, timeoutNanoseconds: Int64 = 100_000_000) {
        self.init(n: n, r: read.count(n: n), w: write.count(n: n), timeoutNanoseconds: timeoutNanoseconds)
    }

    /// R + W > N: every read quorum meets every write quorum.
    public var isStrict: Bool { r + w > n }
}
