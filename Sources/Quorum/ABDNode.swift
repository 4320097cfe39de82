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
/// A pure state machine (``ReplicationCore``) like ``DynamoNode``, on the
/// same ``Message``s: `fetch`/`fetched` query, `store`/`stored` propagate;
/// replicas keep the largest ``Version`` (the tag, with the write's
/// sequence as its value). R, W, read repair and versioning do not apply.
///
/// - Complexity: two round trips of N messages per operation (one for a
///   fast read); O(N) per input plus dictionary work.
public struct ABDNode: ReplicationCore {
    public typealias Message = Quorum.Message
    public typealias Timer = QuorumTimer

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

    public static var honoursQuorumSettings: Bool { false }

    public init(_ setup: NodeSetup) {
        precondition(setup.configuration.n <= setup.ring.nodeCount, "N cannot exceed the number of nodes")
        precondition(setup.configuration.versioning == .lww, "ABD orders writes by its own tags; versioning applies to the Dynamo core")
        id = setup.id
        configuration = setup.configuration
        ring = setup.ring
    }

    public init(id: NodeID, configuration: QuorumConfiguration, ring: TokenRing) {
        self.init(NodeSetup(id: id, configuration: configuration, ring: ring))
    }

    /// A majority of the N replicas.
    public var majority: Int { configuration.n / 2 + 1 }

    public func preferenceList(for key: UInt64) -> [NodeID] {
        ring.preferenceList(forKeyHash: XXHash64.hash(key), count: configuration.n)
    }

    public func state(of key: UInt64) -> Versioned? { store[key].map(Versioned.lww) }

    public mutating func crash() {
        pending.removeAll()
    }

    public mutating func step(now: Int64, _ input: consuming Input, into effects: inout Effects) {
        switch input {
        case .start:
            break
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
            for owner in owners { effects.append(.send(to: owner, .fetch(request: request.id, key: key))) }
            effects.append(.setTimer(afterNanoseconds: configuration.timeoutNanoseconds, .requestTimeout(request.id)))
        case .message(let from, let message):
            receive(from: from, message, into: &effects)
        case .timer(.requestTimeout(let requestID)):
            guard pending.removeValue(forKey: requestID) != nil else { return }
            effects.append(.reply(ClientReply(id: requestID, outcome: .timedOut)))
        case .timer:
            break
        }
    }

    mutating func receive(from: NodeID, _ message: Message, into effects: inout Effects) {
        switch message {
        // Replica side.
        case .fetch(let request, let key):
            effects.append(.send(to: from, .fetched(request: request, version: store[key].map(Versioned.lww))))
        case .store(let request, let key, let state, _), .repair(let request, let key, let state):
            guard let version = state.lwwVersion else { preconditionFailure("ABD tags are LWW versions; a sibling set cannot reach an ABD node") }
            if let i = store.index(forKey: key) {
                if store.values[i] < version { store.values[i] = version }
            } else {
                store[key] = version
            }
            effects.append(.send(to: from, .stored(request: request)))
        // Coordinator side.
        case .fetched(let request, let state):
            guard let i = pending.index(forKey: request) else { return }
            let coordinator = self.id, majority = self.majority
            if pending.values[i].queried(from: from, version: state?.lwwVersion, majority: majority, coordinator: coordinator) {
                let p = pending.values[i]
                if p.phase == .propagate {
                    for owner in p.owners { effects.append(.send(to: owner, .store(request: request, key: p.key, version: .lww(p.best!), hintFor: nil))) }
                } else {
                    // A fast read: every answer in the majority carried the largest tag.
                    pending.remove(at: i)
                    effects.append(.reply(ClientReply(id: request, outcome: .read(p.best.map(Versioned.lww)))))
                }
            }
        case .stored(let request):
            guard let i = pending.index(forKey: request), pending.values[i].propagated(from: from, majority: majority) else { return }
            let p = pending.remove(at: i).value
            effects.append(.reply(ClientReply(id: request, outcome: p.isWrite ? .written(.lww(p.best!)) : .read(p.best.map(Versioned.lww)))))
        case .repaired, .handoff, .handedOff:
            break
        }
    }
}

extension ABDNode.Pending {
    /// A query answer; true once a majority answered: the phase is then
    /// `propagate` with the tag to write, or still `query` for a fast read.
    mutating func queried(from: NodeID, version: Version?, majority: Int, coordinator: NodeID) -> Bool {
        guard phase == .query, !answered.contains(from) else { return false }
        if !answered.isEmpty && best != version { allEqual = false }
        answered.append(from)
        if let version, best.map({ $0 < version }) ?? true { best = version }
        guard answered.count >= majority else { return false }
        if isWrite {
            best = Version(timestamp: (best?.timestamp ?? 0) &+ 1, coordinator: coordinator, sequence: sequence)
        } else if allEqual {
            return true
        }
        phase = .propagate
        answered.removeAll(keepingCapacity: true)
        return true
    }

    /// A propagation ack; true once a majority stored the tag.
    mutating func propagated(from: NodeID, majority: Int) -> Bool {
        guard phase == .propagate, !answered.contains(from) else { return false }
        answered.append(from)
        return answered.count >= majority
    }
}
