/// The knobs of the Raft core (``RaftNode``), carried in
/// ``QuorumConfiguration/raft`` so both runtimes and scenario files pass
/// them without knowing the core. Scenario keys (`grid.` / `raft.`):
/// `read_mode`, `pre_vote`, `check_quorum`, `election_timeout_ms`,
/// `heartbeat_ms`, `max_clock_drift`, `durability` (threaded runtime only).
public struct RaftConfiguration: Sendable, Equatable {
    /// How a read is served (Ongaro, "Consensus: Bridging Theory and Practice", PhD thesis, Stanford 2014, §6.4).
    public enum ReadMode: String, Sendable, CaseIterable {
        /// The read is appended to the log like a write and answered when it
        /// is applied: linearizable, one commit round per read.
        case log
        /// ReadIndex (§6.4): the leader records its commit index, confirms it
        /// is still leader with a heartbeat round to a majority, and answers
        /// once that index is applied; a follower asks the leader for the
        /// index and answers from its own state once it has applied it
        /// (etcd's linearizable read).
        case readIndex = "read_index"
        /// Leader leases (§6.4.1): the leader answers from its state while
        /// the lease from its last majority-acknowledged heartbeat round
        /// holds — linearizable only while clocks drift less than
        /// ``RaftConfiguration/maxClockDrift``. Without a valid lease the read
        /// falls back to ReadIndex. Followers ask the leader, as for ReadIndex.
        case lease
        /// Serializable reads (etcd's `--consistency=s`): any member answers
        /// from its applied state at once; stale reads possible.
        case follower
    }

    /// Where the log lives.
    public enum Durability: String, Sendable, CaseIterable {
        /// `RaftLog.InMemoryLog` (the simulator always uses it).
        case memory
        /// `RaftLog.DurableLog` under ``RaftConfiguration/logDirectory`` with the
        /// matching `DurabilityPolicy`: the WAL's cost on the commit path.
        case none, fsync, group
    }

    /// Deliberately unsafe variants, for tests that show the safety checker
    /// catches them (never set them outside tests).
    public enum UnsafeVariant: String, Sendable, CaseIterable {
        /// Commit any index a majority stores, whatever its term (the error
        /// Figure 8 of Ongaro & Ousterhout 2014 illustrates).
        case commitEarlierTermsByCounting = "commit-earlier-terms"
        /// Grant votes without the candidate-log up-to-date check (§5.4.1).
        case votesWithoutUpToDateCheck = "votes-without-up-to-date-check"
    }

    public var readMode: ReadMode
    /// etcd's PreVote (thesis §9.6): a node first asks whether it could win
    /// an election, and raises its term only if a majority says yes.
    public var preVote: Bool
    /// etcd's CheckQuorum: a leader that has not heard from a majority within
    /// an election timeout steps down, and a node that heard from a leader
    /// within the election timeout ignores vote requests (thesis §4.2.3).
    /// Lease reads imply this vote rule whatever the flag says.
    public var checkQuorum: Bool
    /// The base election timeout T: each wait is uniform in [T, 2T) (§5.2).
    public var electionTimeoutNanoseconds: Int64
    public var heartbeatIntervalNanoseconds: Int64
    /// The clock drift rate a lease assumes at most (0.01: clocks run within
    /// ±1 % of real time). The lease lasts T·(1 − d)/(1 + d) from the start
    /// of the heartbeat round a majority acknowledged.
    public var maxClockDrift: Double
    public var durability: Durability
    /// With a durable log: node i keeps its log in `logDirectory/node-i`.
    public var logDirectory: String?
    /// At most this many entries per AppendEntries message.
    public var maxEntriesPerAppend: Int
    /// Test-only: a deliberately broken variant.
    public var unsafeVariant: UnsafeVariant?

    public init(readMode: ReadMode = .readIndex, preVote: Bool = false, checkQuorum: Bool = false,
                electionTimeoutNanoseconds: Int64 = 150_000_000, heartbeatIntervalNanoseconds: Int64 = 50_000_000,
                maxClockDrift: Double = 0.01, durability: Durability = .memory, logDirectory: String? = nil,
                maxEntriesPerAppend: Int = 64, unsafeVariant: UnsafeVariant? = nil) {
        precondition(electionTimeoutNanoseconds > 0 && heartbeatIntervalNanoseconds > 0, "timeouts must be positive")
        precondition(maxClockDrift >= 0 && maxClockDrift < 1, "a drift bound is a rate in [0, 1)")
        self.readMode = readMode
        self.preVote = preVote
        self.checkQuorum = checkQuorum
        self.electionTimeoutNanoseconds = electionTimeoutNanoseconds
        self.heartbeatIntervalNanoseconds = heartbeatIntervalNanoseconds
        self.maxClockDrift = maxClockDrift
        self.durability = durability
        self.logDirectory = logDirectory
        self.maxEntriesPerAppend = max(1, maxEntriesPerAppend)
        self.unsafeVariant = unsafeVariant
    }

    /// How long a lease lasts on the leader's clock: T·(1 − d)/(1 + d), so
    /// that with both clocks within the bound it ends (in real time) before
    /// any voter that acknowledged the round stops refusing votes.
    public var leaseNanoseconds: Int64 {
        Int64((Double(electionTimeoutNanoseconds) * (1 - maxClockDrift) / (1 + maxClockDrift)).rounded(.down))
    }

    /// Whether a node that heard from a leader within the election timeout ignores vote requests.
    var refusesVotesInLease: Bool { checkQuorum || readMode == .lease }
}
