import RaftLog

/// The messages of the Raft core (Ongaro & Ousterhout, ATC 2014, Figure 2,
/// plus PreVote, ReadIndex and request forwarding as etcd has them).
public enum RaftMessage: Sendable, Equatable {
    /// RequestVote, or a PreVote (thesis §9.6) when `preVote`: `term` is then
    /// the term the sender would campaign in, and nobody changes term for it.
    case requestVote(term: UInt64, lastLogIndex: UInt64, lastLogTerm: UInt64, preVote: Bool)
    case vote(term: UInt64, granted: Bool, preVote: Bool)
    /// AppendEntries; empty `entries` is a heartbeat. `round` numbers the
    /// leader's heartbeat rounds (ReadIndex and lease confirmation).
    case appendEntries(term: UInt64, prevLogIndex: UInt64, prevLogTerm: UInt64, entries: [LogEntry], leaderCommit: UInt64, round: UInt64)
    /// Success: the follower's log matches up to `index`. Failure: `index` is its last index (a hint to skip back).
    case appendReply(term: UInt64, success: Bool, index: UInt64, round: UInt64)
    /// A client write (or log read) a member forwards to the leader; `origin` waits for it to apply and answers.
    case propose(ClientRequest, origin: NodeID, hops: UInt8)
    /// A follower asks the leader for a read index (ReadIndex, §6.4).
    case readIndex(request: UInt64)
    /// The leader's answer: the index to apply before reading.
    case readIndexReply(request: UInt64, index: UInt64)
    /// A node outside the Raft group hands a client request to a member …
    case proxy(ClientRequest)
    /// … which answers it through the proxy.
    case proxyReply(ClientReply)
}

extension RaftMessage: CoreMessage {
    /// Replication, votes, proposals: W; their answers: A; read-index requests and proxied reads: R; their answers: S.
    public var leg: MessageLeg {
        switch self {
        case .requestVote, .appendEntries, .propose: return .write
        case .vote, .appendReply: return .writeAck
        case .readIndex: return .read
        case .readIndexReply: return .readResponse
        case .proxy(let request):
            if case .read = request.operation { return .read }
            return .write
        case .proxyReply(let reply):
            if case .read = reply.outcome { return .readResponse }
            return .writeAck
        }
    }
}

/// The timers of the Raft core.
public enum RaftTimer: Sendable, Hashable {
    /// The election timer; a stale generation is ignored (the runtime cannot cancel timers).
    case election(generation: UInt64)
    /// A leader's heartbeat, for the term it leads.
    case heartbeat(term: UInt64)
    case requestTimeout(UInt64)
}

/// What a log entry carries: the leader's no-op, a client write or a log read.
/// Encoded in 27 little-endian bytes: kind, request id, key, write sequence, leader.
struct RaftCommand: Equatable {
    enum Kind: UInt8 { case noop = 0, write = 1, read = 2 }
    var kind: Kind
    var request: UInt64 = 0
    var key: UInt64 = 0
    var sequence: UInt64 = 0
    var leader: UInt16 = 0

    static let encodedSize = 27

    init(kind: Kind, request: UInt64 = 0, key: UInt64 = 0, sequence: UInt64 = 0, leader: UInt16 = 0) {
        self.kind = kind
        self.request = request
        self.key = key
        self.sequence = sequence
        self.leader = leader
    }

    init(_ request: ClientRequest, leader: NodeID) {
        switch request.operation {
        case .write(let key, let sequence): self.init(kind: .write, request: request.id, key: key, sequence: sequence, leader: UInt16(truncatingIfNeeded: leader))
        case .read(let key): self.init(kind: .read, request: request.id, key: key, leader: UInt16(truncatingIfNeeded: leader))
        }
    }

    func encode(into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(kind.rawValue)
        for value in [request, key, sequence] { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        withUnsafeBytes(of: leader.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// nil when the bytes are not a command this core wrote.
    init?(decoding bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.encodedSize, let kind = Kind(rawValue: bytes[0]) else { return nil }
        self.kind = kind
        request = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 1, as: UInt64.self))
        key = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 9, as: UInt64.self))
        sequence = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 17, as: UInt64.self))
        leader = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 25, as: UInt16.self))
    }
}
