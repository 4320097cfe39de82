import HashRing
import Quorum
import RaftLog
import RuntimeSupport
import Stats

/// One randomized run of a ``RaftNode`` cluster under faults, with the
/// ``RaftInvariantChecker`` after every step — the simulation-testing
/// style of FoundationDB and TigerBeetle, on Raft's Figure 3 properties.
///
/// Everything comes from the seed: the group size (3 or 5), PreVote,
/// CheckQuorum, read mode and entries per AppendEntries (1, 2 or 8), message loss (0, 5 or 15 %) and duplication
/// (0 or 5 %), one-way delays uniform in 1–15 ms (so messages on one link
/// overtake each other), a client load of writes and reads on random
/// members, and a fault every 100–500 ms: a random partition, the leader
/// isolated in a minority, a crash (restart 20–600 ms later) or a heal.
/// After 4 s of faults the network heals, every node restarts, and the
/// run goes on 1 s more. The first violation stops the run.
///
/// - Complexity: O(E log E) for E events, plus the checker's O(entries
///   written, committed or applied) per step.
public struct RaftSafetyRun {
    /// Faults injected, by kind.
    public struct Faults: Sendable, Equatable {
        public var partitions = 0
        public var leaderIsolations = 0
        public var crashes = 0
        public var restarts = 0
        public var heals = 0
        public var messagesDropped = 0
        public var messagesDuplicated = 0
        public var messagesReordered = 0

        public init() {}

        public mutating func add(_ other: Faults) {
            partitions += other.partitions
            leaderIsolations += other.leaderIsolations
            crashes += other.crashes
            restarts += other.restarts
            heals += other.heals
            messagesDropped += other.messagesDropped
            messagesDuplicated += other.messagesDuplicated
            messagesReordered += other.messagesReordered
        }
    }

    public struct Outcome: Sendable {
        public let seed: UInt64
        public var steps = 0
        public var faults = Faults()
        /// Terms that elected a leader.
        public var leadersElected = 0
        /// The highest commit index any node reached.
        public var committed: UInt64 = 0
        /// The first violation and the step it followed (1-based).
        public var violation: (step: Int, violation: RaftInvariantChecker.Violation)?
    }

    enum Event: Sendable {
        case deliver(to: NodeID, from: NodeID, RaftMessage)
        case timer(NodeID, RaftTimer, epoch: Int)
        case client
        case fault
        case restart(NodeID)
        case calm
    }

    public static let faultPhaseNanoseconds: Int64 = 4_000_000_000
    public static let calmPhaseNanoseconds: Int64 = 1_000_000_000

    let members: Int
    let lossProbability: Double
    let duplicateProbability: Double
    var rng: Xoshiro256StarStar
    var nodes: [RaftNode] = []
    var up: [Bool]
    var epoch: [Int]
    /// Partition side of each node; messages cross only within a side.
    var side: [Int]
    var lastArrival: [Int64]
    var queue = EventQueue<Event>()
    var now: Int64 = 0
    var checker: RaftInvariantChecker
    var outcome: Outcome
    var nextRequest: UInt64 = 1
    var calm = false

    /// Runs seed `seed` to the end or its first violation.
    public static func run(seed: UInt64, unsafeVariant: RaftConfiguration.UnsafeVariant? = nil) -> Outcome {
        var run = RaftSafetyRun(seed: seed, unsafeVariant: unsafeVariant)
        run.execute()
        return run.outcome
    }

    init(seed: UInt64, unsafeVariant: RaftConfiguration.UnsafeVariant?) {
        var rng = Xoshiro256StarStar(seed: seed)
        members = rng.next() % 2 == 0 ? 3 : 5
        let losses = [0.0, 0.05, 0.15]
        lossProbability = losses[Int(rng.next() % 3)]
        duplicateProbability = rng.next() % 2 == 0 ? 0 : 0.05
        var quorum = QuorumConfiguration(n: members, r: members / 2 + 1, w: members / 2 + 1, timeoutNanoseconds: 300_000_000)
        quorum.raft = RaftConfiguration(readMode: RaftConfiguration.ReadMode.allCases[Int(rng.next() % 4)],
                                        preVote: rng.next() % 2 == 0, checkQuorum: rng.next() % 2 == 0,
                                        electionTimeoutNanoseconds: 100_000_000, heartbeatIntervalNanoseconds: 30_000_000,
                                        maxEntriesPerAppend: [1, 2, 8][Int(rng.next() % 3)], unsafeVariant: unsafeVariant)
        let ring = TokenRing(nodes: (0..<members).map { "node-\($0)" }, virtualNodes: 1)
        let coreSeed = rng.next()
        for id in 0..<members {
            nodes.append(RaftNode(NodeSetup(id: id, configuration: quorum, ring: ring, randomSeed: coreSeed &+ UInt64(id))))
        }
        self.rng = rng
        up = Array(repeating: true, count: members)
        epoch = Array(repeating: 0, count: members)
        side = Array(repeating: 0, count: members)
        lastArrival = Array(repeating: 0, count: members * members)
        checker = RaftInvariantChecker(nodes: members)
        outcome = Outcome(seed: seed)
    }

    mutating func execute() {
        var effects = EffectBuffer<RaftMessage, RaftTimer>(capacity: 64)
        for id in nodes.indices {
            step(id, .start, &effects)
        }
        queue.push(.client, at: uniform(2, 20))
        queue.push(.fault, at: uniform(100, 500))
        queue.push(.calm, at: Self.faultPhaseNanoseconds)
        let end = Self.faultPhaseNanoseconds + Self.calmPhaseNanoseconds
        while outcome.violation == nil, let time = queue.earliest, time <= end {
            let event = queue.removeEarliest()
            now = time
            switch event {
            case .deliver(let to, let from, let message):
                guard up[to] else { continue }
                step(to, .message(from: from, message), &effects)
            case .timer(let node, let timer, let e):
                guard up[node], epoch[node] == e else { continue }
                step(node, .timer(timer), &effects)
            case .client:
                clientRequest(&effects)
                if !calm || now < end - 200_000_000 { queue.push(.client, at: now + uniform(2, 20)) }
            case .fault:
                guard !calm else { continue }
                inject(&effects)
                queue.push(.fault, at: now + uniform(100, 500))
            case .restart(let node):
                guard !up[node] else { continue }
                up[node] = true
                outcome.faults.restarts += 1
                step(node, .start, &effects)
            case .calm:
                calm = true
                side = Array(repeating: 0, count: members)
                for node in nodes.indices where !up[node] { queue.push(.restart(node), at: now) }
            }
        }
        outcome.leadersElected = checker.leaders.count
    }

    /// Uniform whole milliseconds in [low, high], in nanoseconds.
    mutating func uniform(_ low: Int64, _ high: Int64) -> Int64 {
        (low + Int64(rng.next() % UInt64(high - low + 1))) * 1_000_000
    }

    mutating func clientRequest(_ effects: inout EffectBuffer<RaftMessage, RaftTimer>) {
        let node = Int(rng.next() % UInt64(members))
        let key = rng.next() % 4
        let request = nextRequest
        nextRequest += 1
        let operation: ClientRequest.Operation = rng.next() % 10 < 6 ? .write(key: key, sequence: request) : .read(key: key)
        guard up[node] else { return }
        step(node, .client(ClientRequest(id: request, operation: operation, replicaChoice: rng.next())), &effects)
    }

    mutating func inject(_ effects: inout EffectBuffer<RaftMessage, RaftTimer>) {
        switch rng.next() % 4 {
        case 0:
            // A random split into two non-empty sides.
            let cut = 1 + Int(rng.next() % UInt64(members - 1))
            var order = Array(0..<members)
            order.shuffle(using: &rng)
            for (i, node) in order.enumerated() { side[node] = i < cut ? 1 : 0 }
            outcome.faults.partitions += 1
        case 1:
            // The leader of the highest term (with at most one other node) cut off in a minority.
            let leaders = nodes.indices.filter { up[$0] && nodes[$0].role == .leader }
            guard let leader = leaders.max(by: { nodes[$0].currentTerm < nodes[$1].currentTerm }) else { return }
            side = Array(repeating: 0, count: members)
            side[leader] = 1
            if members == 5 && rng.next() % 2 == 0 {
                let other = (leader + 1 + Int(rng.next() % UInt64(members - 1))) % members
                side[other] = 1
            }
            outcome.faults.leaderIsolations += 1
        case 2:
            let candidates = nodes.indices.filter { up[$0] }
            guard !candidates.isEmpty else { return }
            let node = candidates[Int(rng.next() % UInt64(candidates.count))]
            up[node] = false
            epoch[node] += 1
            nodes[node].crash()
            checker.crashed(node)
            outcome.faults.crashes += 1
            queue.push(.restart(node), at: now + uniform(20, 600))
        default:
            side = Array(repeating: 0, count: members)
            outcome.faults.heals += 1
        }
    }

    mutating func step(_ node: NodeID, _ input: CoreInput<RaftMessage, RaftTimer>, _ effects: inout EffectBuffer<RaftMessage, RaftTimer>) {
        var writtenFrom = nodes[node].lastLogIndex + 1
        if case .message(_, .appendEntries(_, let prevIndex, _, let entries, _, _)) = input, !entries.isEmpty {
            writtenFrom = Swift.min(writtenFrom, prevIndex + 1)
        }
        nodes[node].step(now: now, input, into: &effects)
        outcome.steps += 1
        effects.drain { apply($0, node: node) }
        if let violation = checker.check(nodes[node], writtenFrom: writtenFrom) {
            outcome.violation = (outcome.steps, violation)
        }
        outcome.committed = Swift.max(outcome.committed, nodes[node].commitIndex)
    }

    mutating func apply(_ effect: consuming CoreEffect<RaftMessage, RaftTimer>, node: NodeID) {
        switch effect {
        case .send(let to, let message):
            guard side[node] == side[to] else { outcome.faults.messagesDropped += 1; return }
            if rng.nextUnitDouble() < lossProbability { outcome.faults.messagesDropped += 1; return }
            send(message, from: node, to: to)
            if rng.nextUnitDouble() < duplicateProbability {
                outcome.faults.messagesDuplicated += 1
                send(message, from: node, to: to)
            }
        case .setTimer(let after, let timer):
            queue.push(.timer(node, timer, epoch: epoch[node]), at: now &+ after)
        case .reply:
            break
        }
    }

    mutating func send(_ message: RaftMessage, from: NodeID, to: NodeID) {
        let arrival = now + uniform(1, 15)
        let link = from * members + to
        if arrival < lastArrival[link] { outcome.faults.messagesReordered += 1 } else { lastArrival[link] = arrival }
        queue.push(.deliver(to: to, from: from, message), at: arrival)
    }
}
