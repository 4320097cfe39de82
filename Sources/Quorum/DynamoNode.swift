import HashRing
import Hashing
import Stats

/// One node of a leaderless Dynamo-style store (DeCandia et al., "Dynamo:
/// Amazon's Highly Available Key-value Store", SOSP 2007): a replica for the
/// keys whose preference list holds it, and a coordinator for the client
/// requests it receives. A pure state machine (``ReplicationCore``):
/// ``step(now:_:into:)`` takes the time and one input and appends effects to
/// the caller's buffer; it never reads a clock, draws randomness or does
/// I/O, so a runtime can replay it exactly.
///
/// - Coordinator: sends a write (`store`) or read (`fetch`) to the N nodes of
///   the key's preference list; answers after W acks or R responses, or
///   `timedOut` at the request timeout.
/// - Versions (``QuorumConfiguration/versioning``): last-writer-wins on the
///   coordinator's own clock (`now` plus this node's configured skew), so a
///   skewed clock can make a later write lose to an earlier one — as it does
///   in a real LWW store; or vector clocks with siblings (§4.4, as dotted
///   version vector sets): the coordinator registers the write as its own
///   next event over the client's context and keeps it (the dot counter
///   must survive), replicas merge, and a read returns every sibling of the
///   R responses' merge with the context for the client's next write
///   (blocking repair answers with the merge it installed on the stale responders).
///   Every store, repair and handoff merges with ``Versioned/merged(with:)``.
/// - Read repair (§4.5 / Cassandra): off, blocking, background.
/// - Sloppy quorum with hinted handoff (§4.6): replicas silent at
///   `fallbackAfter` are replaced by the next nodes on the ring; those keep
///   the write with a hint and hand it back to the owner every handoff interval.
///
/// A request's bookkeeping is mutated where it sits in the pending table
/// (one hash lookup per message, no copy of its lists).
///
/// - Complexity: O(N) per input plus dictionary work; a handoff tick is
///   O(h log h) for h hinted writes (sorted, so the output is deterministic).
public struct DynamoNode: ReplicationCore {
    public typealias Message = Quorum.Message
    public typealias Timer = QuorumTimer

    public let id: NodeID
    public let configuration: QuorumConfiguration
    public let ring: TokenRing
    /// This node's clock error: its clock reads `now + clockSkewNanoseconds`.
    public let clockSkewNanoseconds: Int64

    /// What this node holds per key: the newest version, or the sibling set.
    public private(set) var store: [UInt64: Versioned] = [:]
    /// Writes held for an owner that did not answer: owner → key → state.
    public private(set) var hints: [NodeID: [UInt64: Versioned]] = [:]
    var pending: [UInt64: Pending] = [:]

    public static var honoursQuorumSettings: Bool { true }

    public init(_ setup: NodeSetup) {
        precondition(setup.configuration.n <= setup.ring.nodeCount, "N cannot exceed the number of nodes")
        id = setup.id
        configuration = setup.configuration
        ring = setup.ring
        clockSkewNanoseconds = setup.clockSkewNanoseconds
    }

    public init(id: NodeID, configuration: QuorumConfiguration, ring: TokenRing, clockSkewNanoseconds: Int64 = 0) {
        self.init(NodeSetup(id: id, configuration: configuration, ring: ring, clockSkewNanoseconds: clockSkewNanoseconds))
    }

    /// The key's preference list: the N replicas, in ring order.
    public func preferenceList(for key: UInt64) -> [NodeID] {
        ring.preferenceList(forKeyHash: XXHash64.hash(key), count: configuration.n)
    }

    public func state(of key: UInt64) -> Versioned? { store[key] }

    /// A crash loses in-flight requests; stored data and hints are durable.
    public mutating func crash() {
        pending.removeAll()
    }

    public mutating func step(now: Int64, _ input: consuming Input, into effects: inout Effects) {
        switch input {
        case .start:
            if configuration.sloppyQuorum { effects.append(.setTimer(afterNanoseconds: configuration.handoffIntervalNanoseconds, .handoff)) }
        case .client(let request):
            coordinate(now: now, request, into: &effects)
        case .message(let from, let message):
            receive(from: from, message, into: &effects)
        case .timer(let timer):
            fire(timer, into: &effects)
        }
    }

    // MARK: Coordinator

    mutating func coordinate(now: Int64, _ request: ClientRequest, into effects: inout Effects) {
        let key: UInt64
        var version: Versioned?
        switch request.operation {
        case .read(let k):
            key = k
        case .write(let k, let sequence):
            key = k
            let created = Versioned.newWrite(configuration.versioning, sequence: sequence, timestamp: now &+ clockSkewNanoseconds,
                                             node: id, local: configuration.versioning == .lww ? nil : store[k], context: request.context)
            // A sibling set's coordinator must remember its dot counter for the key.
            if configuration.versioning == .vectorClocks { keep(k, created) }
            version = created
        }
        let count = configuration.sloppyQuorum ? ring.nodeCount : configuration.n
        let preference = ring.preferenceList(forKeyHash: XXHash64.hash(key), count: count)
        // Without fallbacks the preference list is the owner list: share its storage.
        var owners = preference.count > configuration.n ? Array(preference.prefix(configuration.n)) : preference
        if configuration.contactOnlyQuorum {
            // Fisher–Yates with the runtime's randomness, then keep a quorum's worth.
            var mix = SplitMix64(seed: request.replicaChoice)
            for i in stride(from: owners.count - 1, to: 0, by: -1) {
                owners.swapAt(i, Int(mix.next() % UInt64(i + 1)))
            }
            owners.removeLast(owners.count - (version == nil ? configuration.r : configuration.w))
        }
        for owner in owners {
            if let version {
                effects.append(.send(to: owner, .store(request: request.id, key: key, version: version, hintFor: nil)))
            } else {
                effects.append(.send(to: owner, .fetch(request: request.id, key: key)))
            }
        }
        effects.append(.setTimer(afterNanoseconds: configuration.timeoutNanoseconds, .requestTimeout(request.id)))
        if configuration.sloppyQuorum && preference.count > owners.count {
            effects.append(.setTimer(afterNanoseconds: configuration.fallbackAfterNanoseconds, .fallback(request.id)))
        }
        pending[request.id] = Pending(isWrite: version != nil, key: key, version: version, preference: preference, contacted: owners)
    }

    mutating func acknowledged(_ requestID: UInt64, from: NodeID, into effects: inout Effects) {
        guard let i = pending.index(forKey: requestID),
              let version = pending.values[i].acknowledge(from: from, w: configuration.w) else { return }
        pending.remove(at: i)
        effects.append(.reply(ClientReply(id: requestID, outcome: .written(version))))
    }

    mutating func fetched(_ requestID: UInt64, from: NodeID, version: Versioned?, into effects: inout Effects) {
        guard let i = pending.index(forKey: requestID) else { return }
        let configuration = configuration
        if pending.values[i].receive(requestID, from: from, version: version, configuration, into: &effects) {
            pending.remove(at: i)
        }
    }

    mutating func repaired(_ requestID: UInt64, into effects: inout Effects) {
        guard let i = pending.index(forKey: requestID) else { return }
        let done = pending.values[i].repairAcknowledged()
        guard done else { return }
        let state = pending.values[i].repairing
        pending.remove(at: i)
        effects.append(.reply(ClientReply(id: requestID, outcome: .read(state))))
    }

    /// Sloppy quorum: one fallback node for each owner that has not answered.
    mutating func fallBack(_ requestID: UInt64, into effects: inout Effects) {
        guard let i = pending.index(forKey: requestID) else { return }
        pending.values[i].fallBack(requestID, n: configuration.n, into: &effects)
    }

    // MARK: Replica

    mutating func keep(_ key: UInt64, _ version: consuming Versioned) {
        if let i = store.index(forKey: key) {
            store.values[i] = store.values[i].merged(with: version)
        } else {
            store[key] = version
        }
    }

    mutating func receive(from: NodeID, _ message: consuming Message, into effects: inout Effects) {
        switch message {
        case .store(let request, let key, let version, let hintFor):
            keep(key, version)
            if let owner = hintFor, owner != id {
                hints[owner, default: [:]][key] = hints[owner]?[key].map { $0.merged(with: version) } ?? version
            }
            effects.append(.send(to: from, .stored(request: request)))
        case .stored(let request):
            acknowledged(request, from: from, into: &effects)
        case .fetch(let request, let key):
            effects.append(.send(to: from, .fetched(request: request, version: store[key])))
        case .fetched(let request, let version):
            fetched(request, from: from, version: version, into: &effects)
        case .repair(let request, let key, let version):
            keep(key, version)
            effects.append(.send(to: from, .repaired(request: request)))
        case .repaired(let request):
            repaired(request, into: &effects)
        case .handoff(let key, let version):
            keep(key, version)
            effects.append(.send(to: from, .handedOff(key: key, version: version)))
        case .handedOff(let key, let version):
            if hints[from]?[key] == version {
                hints[from]?[key] = nil
                if hints[from]?.isEmpty == true { hints[from] = nil }
            }
        }
    }

    mutating func fire(_ timer: QuorumTimer, into effects: inout Effects) {
        switch timer {
        case .requestTimeout(let requestID):
            guard let p = pending.removeValue(forKey: requestID), !p.replied else { return }
            effects.append(.reply(ClientReply(id: requestID, outcome: .timedOut)))
        case .fallback(let requestID):
            fallBack(requestID, into: &effects)
        case .handoff:
            for owner in hints.keys.sorted() {
                for (key, version) in hints[owner]!.sorted(by: { $0.key < $1.key }) {
                    effects.append(.send(to: owner, .handoff(key: key, version: version)))
                }
            }
            effects.append(.setTimer(afterNanoseconds: configuration.handoffIntervalNanoseconds, .handoff))
        }
    }
}
