import HashRing
import Hashing

/// One node of an atomic register emulated by majorities: the multi-writer
/// form of Attiya, Bar-Noy & Dolev, "Sharing Memory Robustly in
/// Message-Passing Systems" (JACM 1995), as Lynch & Shvartsman give it
/// (FTCS 1997). Linearizable for any number of readers and writers while a
/// majority of each key's N replicas is reachable.
///
/// - Write: query a majority for their tags, take the largest timestamp
///   plus one with this node's id as the new tag, store it at a majority.
/// - Read: query a majority, take the largest tag, **write it back** to a
///   majority, then return it. The write-back is what plain R + W > N
///   quorums lack: without it a read can return a value that a later read
///   does not see (new-then-old), though every read quorum meets every
///   write quorum. The write-back is skipped when every answer in the
///   majority already carried the largest tag: that tag is then at a
///   majority already (the "fast read" of Dutta et al., PODC 2004, case 1).
///
/// A pure state machine like ``DynamoNode``, on the same ``Message``s:
/// `fetch`/`fetched` query, `store`/`stored` propagate; replicas keep the
/// largest ``Version`` (the tag, with the write's sequence as its value).
///
/// - Complexity: two round trips of N messages per operation (one for a
///   fast read); O(N) per input plus dictionary work.
public struct ABDNode: Sendable {
    public let id: NodeID
    public let configuration: QuorumConfiguration
    public let ring: TokenRing

    public private(set) var store: [UInt64: Version] = [:]
    var pending: [UInt64: Pending] = [:]

    struct Pending: Sendable {
        enum Phase: Sendable { case query, propagate }
        let isWrite: Bool
        let key: UInt64
        let sequence: UInt64
        let owners: [NodeID]
        var phase: Phase = .query
        var answered: [NodeID] = []
        var best: Version?
        var allEqual = true
    }

    public init(id: NodeID, configuration: QuorumConfiguration, ring: TokenRing) {
        precondition(configuration.n <= ring.nodeCount, "N cannot exceed the number of nodes")
        self.id = id
        self.configuration = configuration
        self.ring = ring
    }

    /// A majority of the N replicas.
    public var majority: Int { configuration.n / 2 + 1 }

    public func preferenceList(for key: UInt64) -> [NodeID] {
        ring.preferenceList(forKeyHash: XXHash64.hash(key), count: configuration.n)
    }

    public mutating func crash() {
        pending.removeAll()
    }

    public mutating func step(now: Int64, _ input: Input) -> [Effect] {
        switch input {
        case .start:
            return []
        case .client(let request):
            let key: UInt64
            var sequence: UInt64 = 0
            var isWrite = false
            switch request.operation {
            case .read(let k): key = k
            case .write(let k, let s): key = k; sequence = s; isWrite = true
            }
            let owners = preferenceList(for: key)
            pending[request.id] = Pending(isWrite: isWrite, key: key, sequence: sequence, owners: owners)
            var effects: [Effect] = owners.map { .send(to: $0, .fetch(request: request.id, key: key)) }
            effects.append(.setTimer(afterNanoseconds: configuration.timeoutNanoseconds, .requestTimeout(request.id)))
            return effects
        case .message(let from, let message):
            return receive(from: from, message)
        case .timer(.requestTimeout(let requestID)):
            guard pending.removeValue(forKey: requestID) != nil else { return [] }
            return [.reply(ClientReply(id: requestID, outcome: .timedOut))]
        case .timer:
            return []
        }
    }

    mutating func receive(from: NodeID, _ message: Message) -> [Effect] {
        switch message {
        // Replica side.
        case .fetch(let request, let key):
            return [.send(to: from, .fetched(request: request, version: store[key].map(Versioned.lww)))]
        case .store(let request, let key, let state, _), .repair(let request, let key, let state):
            guard let version = state.lwwVersion else { preconditionFailure("ABD tags are LWW versions; a sibling set cannot reach an ABD node") }
            if store[key].map({ $0 < version }) ?? true { store[key] = version }
            return [.send(to: from, .stored(request: request))]
        // Coordinator side.
        case .fetched(let request, let state):
            let version = state?.lwwVersion
            guard var p = pending[request], p.phase == .query, !p.answered.contains(from) else { return [] }
            if !p.answered.isEmpty && p.best != version { p.allEqual = false }
            p.answered.append(from)
            if let version, p.best.map({ $0 < version }) ?? true { p.best = version }
            guard p.answered.count >= majority else { pending[request] = p; return [] }
            let tag: Version?
            if p.isWrite {
                tag = Version(timestamp: (p.best?.timestamp ?? 0) &+ 1, coordinator: id, sequence: p.sequence)
            } else {
                if p.allEqual {
                    pending[request] = nil
                    return [.reply(ClientReply(id: request, outcome: .read(p.best.map(Versioned.lww))))]
                }
                tag = p.best
            }
            p.best = tag
            p.phase = .propagate
            p.answered = []
            pending[request] = p
            return p.owners.map { .send(to: $0, .store(request: request, key: p.key, version: .lww(tag!), hintFor: nil)) }
        case .stored(let request):
            guard var p = pending[request], p.phase == .propagate, !p.answered.contains(from) else { return [] }
            p.answered.append(from)
            guard p.answered.count >= majority else { pending[request] = p; return [] }
            pending[request] = nil
            return [.reply(ClientReply(id: request, outcome: p.isWrite ? .written(.lww(p.best!)) : .read(p.best.map(Versioned.lww))))]
        case .repaired, .handoff, .handedOff:
            return []
        }
    }
}
