import HashRing
import Hashing
import Stats

/// One node of a leaderless Dynamo-style store (DeCandia et al., "Dynamo:
/// Amazon's Highly Available Key-value Store", SOSP 2007): a replica for the
/// keys whose preference list holds it, and a coordinator for the client
/// requests it receives. A pure state machine: ``step(now:_:)`` takes the
/// time and one input and returns effects; it never reads a clock, draws
/// randomness or does I/O, so a runtime can replay it exactly.
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
/// - Complexity: O(N) per input plus dictionary work; a handoff tick is
///   O(h log h) for h hinted writes (sorted, so the output is deterministic).
public struct DynamoNode: Sendable {
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

    struct Pending: Sendable {
        var isWrite: Bool
        let key: UInt64
        let version: Versioned?
        /// The key's extended preference list: N owners, then fallbacks in ring order.
        let preference: [NodeID]
        var contacted: [NodeID]
        var answered: [NodeID] = []
        var responses: [Response] = []
        /// The merge of the responses so far.
        var best: Versioned?
        var replied = false
        var repairsOutstanding = 0
        /// Blocking repair: the state written to the stale responders, which the reply carries
        /// (a response arriving meanwhile must not make the reply newer than what the repairs installed).
        var repairing: Versioned?
    }

    /// One replica's answer to a read.
    struct Response: Sendable {
        let node: NodeID
        let version: Versioned?
    }

    public init(id: NodeID, configuration: QuorumConfiguration, ring: TokenRing, clockSkewNanoseconds: Int64 = 0) {
        precondition(configuration.n <= ring.nodeCount, "N cannot exceed the number of nodes")
        self.id = id
        self.configuration = configuration
        self.ring = ring
        self.clockSkewNanoseconds = clockSkewNanoseconds
    }

    /// The key's preference list: the N replicas, in ring order.
    public func preferenceList(for key: UInt64) -> [NodeID] {
        ring.preferenceList(forKeyHash: XXHash64.hash(key), count: configuration.n)
    }

    /// A crash loses in-flight requests; stored data and hints are durable.
    public mutating func crash() {
        pending.removeAll()
    }

    public mutating func step(now: Int64, _ input: Input) -> [Effect] {
        switch input {
        case .start:
            return configuration.sloppyQuorum ? [.setTimer(afterNanoseconds: configuration.handoffIntervalNanoseconds, .handoff)] : []
        case .client(let request):
            return coordinate(now: now, request)
        case .message(let from, let message):
            return receive(from: from, message)
        case .timer(let timer):
            return fire(timer)
        }
    }

    // MARK: Coordinator

    mutating func coordinate(now: Int64, _ request: ClientRequest) -> [Effect] {
        let key: UInt64
        var version: Versioned?
        switch request.operation {
        case .read(let k):
            key = k
        case .write(let k, let sequence):
            key = k
            let created = Versioned.newWrite(configuration.versioning, sequence: sequence, timestamp: now &+ clockSkewNanoseconds,
                                             node: id, local: store[k], context: request.context)
            // A sibling set's coordinator must remember its dot counter for the key.
            if configuration.versioning == .vectorClocks { keep(k, created) }
            version = created
        }
        let count = configuration.sloppyQuorum ? ring.nodeCount : configuration.n
        let preference = ring.preferenceList(forKeyHash: XXHash64.hash(key), count: count)
        var owners = Array(preference.prefix(configuration.n))
        if configuration.contactOnlyQuorum {
            // Fisher–Yates with the runtime's randomness, then keep a quorum's worth.
            var mix = SplitMix64(seed: request.replicaChoice)
            for i in stride(from: owners.count - 1, to: 0, by: -1) {
                owners.swapAt(i, Int(mix.next() % UInt64(i + 1)))
            }
            owners = Array(owners.prefix(version == nil ? configuration.r : configuration.w))
        }
        pending[request.id] = Pending(isWrite: version != nil, key: key, version: version, preference: preference, contacted: owners)
        var effects: [Effect] = owners.map { owner in
            if let version { return .send(to: owner, .store(request: request.id, key: key, version: version, hintFor: nil)) }
            return .send(to: owner, .fetch(request: request.id, key: key))
        }
        effects.append(.setTimer(afterNanoseconds: configuration.timeoutNanoseconds, .requestTimeout(request.id)))
        if configuration.sloppyQuorum && preference.count > owners.count {
            effects.append(.setTimer(afterNanoseconds: configuration.fallbackAfterNanoseconds, .fallback(request.id)))
        }
        return effects
    }

    mutating func acknowledged(_ requestID: UInt64, from: NodeID) -> [Effect] {
        guard var p = pending[requestID], p.isWrite, !p.answered.contains(from) else { return [] }
        p.answered.append(from)
        if p.answered.count >= configuration.w, !p.replied, let version = p.version {
            pending[requestID] = nil
            return [.reply(ClientReply(id: requestID, outcome: .written(version)))]
        }
        pending[requestID] = p
        return []
    }

    /// Responders whose state lacks something `best` has.
    static func behind(_ responses: [Response], _ best: Versioned) -> [NodeID] {
        responses.filter { !($0.version?.includes(best) ?? false) }.map(\.node)
    }

    mutating func fetched(_ requestID: UInt64, from: NodeID, version: Versioned?) -> [Effect] {
        guard var p = pending[requestID], !p.isWrite, !p.answered.contains(from) else { return [] }
        p.answered.append(from)
        p.responses.append(Response(node: from, version: version))
        var effects: [Effect] = []
        if let version {
            let previous = p.best
            let best = previous.map { $0.merged(with: version) } ?? version
            p.best = best
            if p.replied && configuration.readRepair == .background {
                // A late answer that changed the merge makes every responder lacking it stale; otherwise only the late one can be.
                let candidates = best == previous ? [Response(node: from, version: version)] : p.responses
                for node in Self.behind(candidates, best) {
                    effects.append(.send(to: node, .repair(request: requestID, key: p.key, version: best)))
                }
            }
        } else if p.replied && configuration.readRepair == .background, let best = p.best {
            effects.append(.send(to: from, .repair(request: requestID, key: p.key, version: best)))
        }
        if !p.replied && p.responses.count >= configuration.r {
            let stale = p.best.map { Self.behind(p.responses, $0) } ?? []
            switch configuration.readRepair {
            case .off:
                p.replied = true
                effects.append(.reply(ClientReply(id: requestID, outcome: .read(p.best))))
            case .background:
                p.replied = true
                effects.append(.reply(ClientReply(id: requestID, outcome: .read(p.best))))
                for node in stale { effects.append(.send(to: node, .repair(request: requestID, key: p.key, version: p.best!))) }
            case .blocking:
                if stale.isEmpty {
                    p.replied = true
                    effects.append(.reply(ClientReply(id: requestID, outcome: .read(p.best))))
                } else if p.repairsOutstanding == 0 {
                    p.repairsOutstanding = stale.count
                    p.repairing = p.best
                    for node in stale { effects.append(.send(to: node, .repair(request: requestID, key: p.key, version: p.best!))) }
                }
            }
        }
        // Keep a background-repairing read until the timeout; drop a finished one.
        if p.replied && (configuration.readRepair != .background || p.answered.count == p.contacted.count) {
            pending[requestID] = nil
        } else {
            pending[requestID] = p
        }
        return effects
    }

    mutating func repaired(_ requestID: UInt64) -> [Effect] {
        guard var p = pending[requestID], !p.isWrite, !p.replied, p.repairsOutstanding > 0 else { return [] }
        p.repairsOutstanding -= 1
        if p.repairsOutstanding == 0 {
            pending[requestID] = nil
            return [.reply(ClientReply(id: requestID, outcome: .read(p.repairing)))]
        }
        pending[requestID] = p
        return []
    }

    /// Sloppy quorum: one fallback node for each owner that has not answered.
    mutating func fallBack(_ requestID: UInt64) -> [Effect] {
        guard var p = pending[requestID], !p.replied else { return [] }
        let silent = p.contacted.prefix(configuration.n).filter { !p.answered.contains($0) }
        var next = p.preference.dropFirst(p.contacted.count).makeIterator()
        var effects: [Effect] = []
        for owner in silent {
            guard let fallback = next.next() else { break }
            p.contacted.append(fallback)
            if let version = p.version {
                effects.append(.send(to: fallback, .store(request: requestID, key: p.key, version: version, hintFor: owner)))
            } else {
                effects.append(.send(to: fallback, .fetch(request: requestID, key: p.key)))
            }
        }
        pending[requestID] = p
        return effects
    }

    // MARK: Replica

    mutating func keep(_ key: UInt64, _ version: Versioned) {
        store[key] = store[key].map { $0.merged(with: version) } ?? version
    }

    mutating func receive(from: NodeID, _ message: Message) -> [Effect] {
        switch message {
        case .store(let request, let key, let version, let hintFor):
            keep(key, version)
            if let owner = hintFor, owner != id {
                hints[owner, default: [:]][key] = hints[owner]?[key].map { $0.merged(with: version) } ?? version
            }
            return [.send(to: from, .stored(request: request))]
        case .stored(let request):
            return acknowledged(request, from: from)
        case .fetch(let request, let key):
            return [.send(to: from, .fetched(request: request, version: store[key]))]
        case .fetched(let request, let version):
            return fetched(request, from: from, version: version)
        case .repair(let request, let key, let version):
            keep(key, version)
            return [.send(to: from, .repaired(request: request))]
        case .repaired(let request):
            return repaired(request)
        case .handoff(let key, let version):
            keep(key, version)
            return [.send(to: from, .handedOff(key: key, version: version))]
        case .handedOff(let key, let version):
            if hints[from]?[key] == version {
                hints[from]?[key] = nil
                if hints[from]?.isEmpty == true { hints[from] = nil }
            }
            return []
        }
    }

    mutating func fire(_ timer: QuorumTimer) -> [Effect] {
        switch timer {
        case .requestTimeout(let requestID):
            guard let p = pending.removeValue(forKey: requestID), !p.replied else { return [] }
            return [.reply(ClientReply(id: requestID, outcome: .timedOut))]
        case .fallback(let requestID):
            return fallBack(requestID)
        case .handoff:
            var effects: [Effect] = []
            for owner in hints.keys.sorted() {
                for (key, version) in hints[owner]!.sorted(by: { $0.key < $1.key }) {
                    effects.append(.send(to: owner, .handoff(key: key, version: version)))
                }
            }
            effects.append(.setTimer(afterNanoseconds: configuration.handoffIntervalNanoseconds, .handoff))
            return effects
        }
    }
}
