import RaftLog
import Stats

/// One member of a Raft group as a pure state machine (``ReplicationCore``):
/// Ongaro & Ousterhout, "In Search of an Understandable Consensus
/// Algorithm", USENIX ATC 2014 (Figure 2), with the reads of Ongaro's
/// thesis, "Consensus: Bridging Theory and Practice" (Stanford 2014, §6.4),
/// and etcd's PreVote and CheckQuorum.
///
/// **Group.** The first N nodes of the cluster (`configuration.n`) form one
/// Raft group replicating every key; the others are proxies that hand each
/// client request to a member (chosen with the request's `replicaChoice`),
/// like etcd's gRPC proxy. R, W, read repair and versioning do not apply.
///
/// **Writes.** A member that is not the leader **forwards** the write to
/// the leader it knows (etcd's behaviour; with none known it holds the
/// request until one is), and answers the client itself once it has
/// applied the entry, as an etcd server waits on its own apply. A write
/// answers `.written(.lww(Version(timestamp: log index, coordinator:
/// leader, sequence:)))`: the log index orders versions, so the consistency
/// judge and history recording work unchanged. Entries carry the request
/// id, and the state machine applies each request once (thesis §6.3), so a
/// duplicated proposal does not write twice.
///
/// **Reads** by ``RaftConfiguration/ReadMode``: `log`, `read_index`,
/// `lease`, `follower` (see there). Read-index confirmation counts
/// AppendEntries replies to a numbered heartbeat round started after the
/// read arrived; each leader-side read starts one round.
///
/// **Randomness and time from outside.** Election timeouts are uniform in
/// [T, 2T) from a generator seeded with ``NodeSetup/randomSeed``. The node's
/// clock reads `now·(1 + clockDriftRate) + clockSkewNanoseconds`; it measures
/// leases and timeouts on that clock and converts timer delays to real
/// time, so a drifting clock shortens or stretches its waits — which is how
/// a run shows the lease hazard when drift exceeds
/// ``RaftConfiguration/maxClockDrift``.
///
/// **Crash.** ``crash()`` keeps `currentTerm`, `votedFor` and the log and
/// drops the rest (role, commit index, the state machine, which is rebuilt
/// by applying the log again as the commit index is relearnt).
///
/// Options (``RaftConfiguration``; scenario keys in brackets): read mode
/// [`read_mode`: log, read_index, lease, follower], PreVote [`pre_vote`],
/// CheckQuorum [`check_quorum`], election timeout [`election_timeout_ms`],
/// heartbeat interval [`heartbeat_ms`], lease drift bound
/// [`max_clock_drift`], durability [`durability`: memory, none, fsync, group].
///
/// - Complexity: O(N) per message at the leader (commit by sorting N match
///   indexes), O(k) per AppendEntries of k entries at a follower, plus the
///   log's cost; a write costs 2(N − 1) messages on the leader's path.
public struct RaftNode: ReplicationCore {
    public typealias Message = RaftMessage
    public typealias Timer = RaftTimer
    typealias Effects = EffectBuffer<RaftMessage, RaftTimer>

    public enum Role: String, Sendable { case follower, preCandidate = "pre-candidate", candidate, leader }

    public let id: NodeID
    public let configuration: QuorumConfiguration
    public var raft: RaftConfiguration { configuration.raft }
    /// The Raft group: nodes 0..<N.
    public let members: Int
    let clockSkew: Int64
    let clockDrift: Double
    var rng: Xoshiro256StarStar

    // Durable state (Figure 2): survives crash().
    public internal(set) var currentTerm: UInt64 = 0
    public internal(set) var votedFor: NodeID?
    var log: RaftStorage

    // Volatile state.
    public internal(set) var role: Role = .follower
    public internal(set) var leader: NodeID?
    public internal(set) var commitIndex: UInt64 = 0
    public internal(set) var lastApplied: UInt64 = 0
    /// The state machine: each key's last applied write.
    var store: [UInt64: Version] = [:]
    var appliedRequests: Set<UInt64> = []
    var votes: Set<NodeID> = []
    var electionGeneration: UInt64 = 0
    /// Local clock: when the election timer expires.
    var electionDeadline: Int64 = 0
    /// Local clock: when this node last heard from a current leader (or started).
    var lastLeaderContact: Int64 = .min

    // Leader state.
    var nextIndex: [UInt64] = []
    var matchIndex: [UInt64] = []
    /// The heartbeat round last broadcast, each peer's highest acknowledged round, and when rounds started (local clock, lease mode).
    var round: UInt64 = 0
    var ackedRound: [UInt64] = []
    var roundStarted: [UInt64: Int64] = [:]
    /// Local clock: the leader may answer lease reads until then.
    var leaseExpiry: Int64 = .min
    var recentlyActive: [Bool] = []
    var pendingReads: [PendingRead] = []
    /// Reads that arrived before an entry of this term committed.
    var deferredReads: [(request: UInt64, from: NodeID)] = []

    // Client side.
    var waiting: [UInt64: Waiting] = [:]
    /// Reads that have their read index but wait for it to be applied.
    var indexReadsAwaitingApply: [(index: UInt64, request: UInt64)] = []
    /// Requests held until a leader is known.
    var parked: [Parked] = []
    /// Reused for appends.
    var batch = EntryBatch()
    var scratch: [UInt8] = []

    /// A client request this node will answer.
    struct Waiting {
        enum Kind { case write, logRead, indexRead(index: UInt64?), proxied }
        var kind: Kind
        let key: UInt64
        /// Answer through this proxy instead of to the client directly.
        let replyTo: NodeID?
    }

    /// A request waiting for a leader: a client request to forward, or a read to ask a read index for.
    struct Parked {
        let request: ClientRequest
        let origin: NodeID
        let readIndex: Bool
    }

    /// A read the leader confirms with heartbeat round `round`, then answers at `index`.
    struct PendingRead {
        let request: UInt64
        let from: NodeID
        let index: UInt64
        let round: UInt64
    }

    public static var honoursQuorumSettings: Bool { false }

    public init(_ setup: NodeSetup) {
        precondition(setup.configuration.n <= setup.ring.nodeCount, "N cannot exceed the number of nodes")
        precondition(setup.configuration.versioning == .lww, "Raft orders writes by its log; versioning applies to the Dynamo core")
        id = setup.id
        configuration = setup.configuration
        members = setup.configuration.n
        clockSkew = setup.clockSkewNanoseconds
        clockDrift = setup.clockDriftRate
        rng = Xoshiro256StarStar(seed: setup.randomSeed ^ (0x9E37_79B9_7F4A_7C15 &* UInt64(setup.id &+ 1)))
        log = RaftStorage(setup.configuration.raft, node: setup.id)
    }

    public var isMember: Bool { id < members }
    public var majority: Int { members / 2 + 1 }

    public func preferenceList(for key: UInt64) -> [NodeID] { Array(0..<members) }

    public func state(of key: UInt64) -> Versioned? { store[key].map(Versioned.lww) }

    // Read-only views for invariant checkers and tests.
    public var lastLogIndex: UInt64 { log.lastIndex }
    public var lastLogTerm: UInt64 { log.lastTerm }
    public func logTerm(at index: UInt64) -> UInt64? { log.term(at: index) }
    public func logEntries(from: UInt64, to: UInt64) -> [LogEntry] { log.entries(from: from, to: to) }

    /// This node's clock at real time `now`.
    func localTime(_ now: Int64) -> Int64 { now &+ clockSkew &+ (clockDrift == 0 ? 0 : Int64(Double(now) * clockDrift)) }

    /// A wait of `local` nanoseconds on this node's clock, in real time (rounded up, at least 1).
    func realDelay(_ local: Int64) -> Int64 {
        guard clockDrift != 0 else { return Swift.max(1, local) }
        return Swift.max(1, Int64((Double(local) / (1 + clockDrift)).rounded(.up)))
    }

    public mutating func crash() {
        role = .follower
        leader = nil
        commitIndex = 0
        lastApplied = 0
        store.removeAll()
        appliedRequests.removeAll()
        votes.removeAll()
        pendingReads.removeAll()
        deferredReads.removeAll()
        waiting.removeAll()
        indexReadsAwaitingApply.removeAll()
        parked.removeAll()
        roundStarted.removeAll()
        leaseExpiry = .min
        lastLeaderContact = .min
    }

    public mutating func step(now: Int64, _ input: consuming CoreInput<RaftMessage, RaftTimer>, into effects: inout EffectBuffer<RaftMessage, RaftTimer>) {
        let local = localTime(now)
        switch input {
        case .start:
            guard isMember else { return }
            // Until a timeout has passed, act as if a leader was just heard from (no vote for a
            // usurper inside a lease this node may have acknowledged before it crashed).
            lastLeaderContact = local
            resetElectionTimer(local, &effects)
        case .client(let request):
            handleClient(request, replyTo: nil, local, &effects)
        case .message(let from, let message):
            receive(from: from, message, local, &effects)
        case .timer(.election(let generation)):
            guard generation == electionGeneration else { return }
            electionTimerFired(local, &effects)
        case .timer(.heartbeat(let term)):
            guard role == .leader, term == currentTerm else { return }
            broadcastAppend(local, &effects)
            effects.append(.setTimer(afterNanoseconds: realDelay(raft.heartbeatIntervalNanoseconds), .heartbeat(term: currentTerm)))
        case .timer(.requestTimeout(let request)):
            if let w = waiting.removeValue(forKey: request) {
                answer(ClientReply(id: request, outcome: .timedOut), replyTo: w.replyTo, &effects)
            }
            parked.removeAll { $0.request.id == request && $0.origin == id }
        }
    }

    mutating func receive(from: NodeID, _ message: RaftMessage, _ local: Int64, _ effects: inout Effects) {
        switch message {
        case .requestVote(let term, let lastIndex, let lastTerm, let preVote):
            handleRequestVote(from: from, term: term, lastIndex: lastIndex, lastTerm: lastTerm, preVote: preVote, local, &effects)
        case .vote(let term, let granted, let preVote):
            handleVote(from: from, term: term, granted: granted, preVote: preVote, local, &effects)
        case .appendEntries(let term, let prevIndex, let prevTerm, let entries, let leaderCommit, let round):
            handleAppendEntries(from: from, term: term, prevIndex: prevIndex, prevTerm: prevTerm, entries: entries,
                                leaderCommit: leaderCommit, round: round, local, &effects)
        case .appendReply(let term, let success, let index, let round):
            handleAppendReply(from: from, term: term, success: success, index: index, round: round, local, &effects)
        case .propose(let request, let origin, let hops):
            propose(request, origin: origin, hops: hops, local, &effects)
        case .readIndex(let request):
            leaderRead(request: request, from: from, local, &effects)
        case .readIndexReply(let request, let index):
            gotReadIndex(request, index, &effects)
        case .proxy(let request):
            guard isMember else { return }
            handleClient(request, replyTo: from, local, &effects)
        case .proxyReply(let reply):
            guard waiting.removeValue(forKey: reply.id) != nil else { return }
            effects.append(.reply(reply))
        }
    }
}
