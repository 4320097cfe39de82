import Foundation
import HashRing
import Quorum
import RuntimeSupport
import Stats
import Workload

extension QuorumSimulation {
    /// The mutable state of one run.
    struct Run<Core: ReplicationCore> {
        typealias Event = QuorumSimulation.Event<Core.Message, Core.Timer>
        typealias Effects = EffectBuffer<Core.Message, Core.Timer>
        let simulation: QuorumSimulation
        var rng: Xoshiro256StarStar
        var nodes: [Core] = []
        var up: [Bool] = []
        var epoch: [Int] = []
        var queue = EventQueue<Event>()
        var now: Int64 = 0
        var outstanding: [UInt64: Outstanding] = [:]
        var nextRequest: UInt64 = 1
        var judge = ConsistencyJudge()
        /// Vector clocks: the merge of what each client's reads of each key returned — the
        /// context its next write of the key carries (Dynamo's get, then put with its context).
        var seen: [Int: [UInt64: Versioned]] = [:]
        /// Vector clocks: the write sequences each client's reads of each key returned, and per key
        /// those shown to clients before they wrote it (lost-write accounting, independent of the clocks).
        var shown: [Int: [UInt64: Set<UInt64>]] = [:]
        var observedByWriters: [UInt64: Set<UInt64>] = [:]
        /// Issue time of writes that timed out, by sequence (LWW lost-write accounting: one may hold the key at the end).
        var failedWriteIssued: [UInt64: Int64] = [:]
        /// Vector clocks on a core that honours them: writes carry their client's context.
        let usesContexts: Bool
        var result = SimulationResult()
        var stream: OperationStream?
        var remainingArrivals = 0
        var horizon: Int64 = .max
        var pairKeys: [UInt64] = []
        var readDelay: Int64 = 0
        var closedLoop = false
        var thinkTime: Int64 = 0
        /// ``Setup/recordsApplies``: the keys written so far, and what each node last held of them.
        let recordsApplies: Bool
        var writtenKeys: [UInt64] = []
        var held: [[UInt64: Versioned]] = []

        init(simulation: QuorumSimulation, rng: Xoshiro256StarStar) {
            self.simulation = simulation
            self.rng = rng
            let setup = simulation.setup
            // The cores' own randomness (Raft's election timeouts): derived from the run's seed
            // without drawing from its generator, so cores that take none run exactly as before.
            var seeds = rng
            let coreSeed = seeds.next() ^ 0xD1B5_4A32_D192_ED03
            for id in 0..<setup.nodeCount {
                let skew = setup.maxClockSkewMs > 0 ? (self.rng.nextUnitDouble() * 2 - 1) * setup.maxClockSkewMs : 0
                var drift = 0.0
                if let drifts = setup.clockDrifts, !drifts.isEmpty {
                    drift = drifts[id % drifts.count]
                } else if setup.maxClockDrift > 0 {
                    drift = (self.rng.nextUnitDouble() * 2 - 1) * setup.maxClockDrift
                }
                nodes.append(Core(NodeSetup(id: id, configuration: setup.quorum, ring: simulation.ring,
                                            clockSkewNanoseconds: Int64((skew * 1e6).rounded()), clockDriftRate: drift,
                                            randomSeed: coreSeed &+ UInt64(id))))
            }
            usesContexts = setup.quorum.versioning == .vectorClocks && Core.honoursQuorumSettings
            recordsApplies = setup.recordsApplies
            if recordsApplies { held = Array(repeating: [:], count: setup.nodeCount) }
            up = Array(repeating: true, count: setup.nodeCount)
            epoch = Array(repeating: 0, count: setup.nodeCount)
        }

        mutating func execute(_ driver: Driver) {
            for crash in simulation.setup.network.crashes {
                queue.push(.crash(crash.node), at: crash.startNanoseconds)
                queue.push(.recover(crash.node), at: crash.endNanoseconds)
            }
            // The buffer every step writes its effects into, drained after each step.
            var effects = Effects(capacity: 64)
            for id in nodes.indices { step(id, .start, &effects) }
            var lastArrival: Int64 = 0
            switch driver {
            case .workload(let s, let operations):
                stream = s
                remainingArrivals = operations
                scheduleArrival()
            case .closedLoop(let s, let clients, let think, let operations):
                stream = s
                remainingArrivals = operations
                closedLoop = true
                thinkTime = think
                for client in 0..<max(1, clients) where remainingArrivals > 0 {
                    issue(client: client)
                }
            case .writeThenRead(let pairs, let delay, let spacing):
                readDelay = delay
                for pair in 0..<pairs {
                    pairKeys.append(rng.next())
                    queue.push(.scriptedWrite(pair: pair), at: Int64(pair) * spacing)
                }
                lastArrival = Int64(pairs) * spacing + delay
                horizon = lastArrival + 20 * simulation.setup.quorum.timeoutNanoseconds
            }
            while let time = queue.earliest {
                if time > horizon { break }
                let event = queue.removeEarliest()
                now = time
                result.events += 1
                handle(event, &effects)
                if stream != nil && remainingArrivals == 0 && horizon == .max {
                    horizon = now + 20 * simulation.setup.quorum.timeoutNanoseconds
                }
            }
            result.virtualNanoseconds = now
            let nodes = self.nodes
            let failed = failedWriteIssued, unanswered = outstanding
            result.lostWrites = judge.lostWrites(final: { nodes.mergedState(of: $0) }, issueTime: { failed[$0] ?? unanswered[$0]?.arrival },
                                                 observed: observedByWriters)
        }

        /// Closed loop: the client's next operation, now.
        mutating func issue(client: Int) {
            let issuedAt = now
            nextFromStream { _ in (issuedAt, client) }
        }

        /// Open loop: the next operation at its Poisson arrival time.
        mutating func scheduleArrival() {
            nextFromStream { op in (op.arrivalNanoseconds, op.client) }
        }

        /// Takes the stream's next operation, gives it a request id and a
        /// uniformly chosen coordinator, and schedules it at the time `timing` picks.
        mutating func nextFromStream(_ timing: (OperationStream.Operation) -> (time: Int64, client: Int)) {
            guard remainingArrivals > 0, var s = stream else { return }
            let op = s.next()
            stream = s
            remainingArrivals -= 1
            let (time, client) = timing(op)
            let request = nextRequest
            nextRequest += 1
            let coordinator = anyCoordinator()
            let getThenPut = op.isWrite && simulation.setup.readBeforeWrite
            outstanding[request] = Outstanding(arrival: time, isWrite: op.isWrite && !getThenPut, key: op.key, client: client, pair: nil,
                                               thenWrite: getThenPut)
            let operation: ClientRequest.Operation = op.isWrite && !getThenPut ? .write(key: op.key, sequence: request) : .read(key: op.key)
            queue.push(.client(node: coordinator, request: ClientRequest(id: request, operation: operation, replicaChoice: rng.next())), at: time)
        }

        /// A uniformly chosen node; with a topology, one in the client's datacenter (drawn by traffic share).
        mutating func anyCoordinator() -> NodeID {
            if let topology = simulation.setup.network.topology {
                let site = topology.clientDatacenter(&rng)
                let here = nodes.indices.filter { simulation.setup.network.datacenter[$0] == site }
                let pool = here.isEmpty ? Array(nodes.indices) : here // readers refuse clients where no node is
                return pool[Int(rng.next() % UInt64(pool.count))]
            }
            return Int(rng.next() % UInt64(nodes.count))
        }

        /// A node outside the key's preference list, when there is one (PBS: the coordinator is not a replica).
        mutating func outsideCoordinator(for key: UInt64) -> NodeID {
            let owners = nodes[0].preferenceList(for: key)
            if let topology = simulation.setup.network.topology {
                // The coordinator is in the client's datacenter (drawn by traffic share); outside the list if it can be.
                let site = topology.clientDatacenter(&rng)
                let here = nodes.indices.filter { simulation.setup.network.datacenter[$0] == site }
                let outside = here.filter { !owners.contains($0) }
                let pool = !outside.isEmpty ? outside : (here.isEmpty ? Array(nodes.indices) : here)
                return pool[Int(rng.next() % UInt64(pool.count))]
            }
            let others = nodes.indices.filter { !owners.contains($0) }
            let pool = others.isEmpty ? Array(nodes.indices) : others
            return pool[Int(rng.next() % UInt64(pool.count))]
        }

        mutating func handle(_ event: consuming Event, _ effects: inout Effects) {
            switch consume event {
            case .arrival:
                break
            case .issue(let client):
                issue(client: client)
            case .scriptedWrite(let pair):
                let key = pairKeys[pair]
                let request = nextRequest
                nextRequest += 1
                outstanding[request] = Outstanding(arrival: now, isWrite: true, key: key, client: pair, pair: pair)
                let coordinator = outsideCoordinator(for: key)
                handle(.client(node: coordinator, request: ClientRequest(id: request, operation: .write(key: key, sequence: request), replicaChoice: rng.next())), &effects)
            case .client(let node, var request):
                let o = outstanding[request.id]!
                if recordsApplies && o.isWrite && !writtenKeys.contains(o.key) { writtenKeys.append(o.key) }
                if o.isWrite && usesContexts && up[node], let context = seen[o.client]?[o.key] {
                    // The client sends what its reads of the key returned when the operation starts.
                    request = ClientRequest(id: request.id, operation: request.operation, replicaChoice: request.replicaChoice, context: context)
                    observedByWriters[o.key, default: []].formUnion(shown[o.client]?[o.key] ?? [])
                }
                if o.isWrite { result.writesIssued += 1 } else { result.readsIssued += 1 }
                if simulation.setup.network.inPartitionWindow(now) { result.issuedInPartition += 1 }
                if o.pair == nil && !o.followsRead && !closedLoop { scheduleArrival() }
                if up[node] {
                    outstanding[request.id]!.coordinator = node
                    outstanding[request.id]!.invoked = now
                    step(node, .client(request), &effects)
                } else {
                    // The client's connection to a dead coordinator times out.
                    complete(ClientReply(id: request.id, outcome: .timedOut), at: now + simulation.setup.quorum.timeoutNanoseconds)
                }
            case .deliver(let to, let from, let message):
                guard up[to] else { return }
                step(to, .message(from: from, message), &effects)
            case .timer(let node, let timer, let e):
                guard up[node], epoch[node] == e else { return }
                step(node, .timer(timer), &effects)
            case .crash(let node):
                up[node] = false
                epoch[node] += 1
                nodes[node].crash()
                if recordsApplies { recordApplies(node) }
                // The requests it was coordinating are gone with it: each client times out
                // (in request order, so the same seed gives the same run).
                let lost = outstanding.filter { $0.value.coordinator == node }.map { ($0.key, $0.value.invoked) }.sorted { $0.0 < $1.0 }
                for (id, invoked) in lost {
                    complete(ClientReply(id: id, outcome: .timedOut), at: Swift.max(now, invoked + simulation.setup.quorum.timeoutNanoseconds))
                }
            case .recover(let node):
                up[node] = true
                step(node, .start, &effects)
            }
        }

        /// Steps `node` at `now` and applies its effects, moving each out of the reused buffer.
        mutating func step(_ node: NodeID, _ input: consuming CoreInput<Core.Message, Core.Timer>, _ effects: inout Effects) {
            nodes[node].step(now: now, input, into: &effects)
            if recordsApplies { recordApplies(node) }
            effects.drain { apply($0, node: node) }
        }

        /// ``Setup/recordsApplies``: appends every written key whose state at
        /// `node` changed since the node's last step. O(written keys).
        mutating func recordApplies(_ node: NodeID) {
            for key in writtenKeys {
                let state = nodes[node].state(of: key)
                guard state != held[node][key] else { continue }
                held[node][key] = state
                result.applies.append(ReplicaApply(time: now, node: node, key: key, state: state))
            }
        }

        mutating func apply(_ effect: consuming CoreEffect<Core.Message, Core.Timer>, node: NodeID) {
            switch effect {
            case .send(let to, let message):
                result.messages += 1
                if let arrival = simulation.setup.network.deliveryTime(from: node, to: to, message: message, at: now, rng: &rng) {
                    queue.push(.deliver(to: to, from: node, message), at: arrival)
                }
            case .setTimer(let after, let timer):
                // Timers of one delay are set at a non-decreasing now: a FIFO lane orders them.
                queue.push(.timer(node: node, timer, epoch: epoch[node]), at: now &+ after, lane: after)
            case .reply(let reply):
                complete(reply, at: now)
            }
        }

        mutating func complete(_ reply: ClientReply, at time: Int64) {
            guard let o = outstanding.removeValue(forKey: reply.id) else { return }
            let latency = UInt64(Swift.max(0, time - o.arrival))
            let inPartition = simulation.setup.network.inPartitionWindow(o.arrival)
            if simulation.setup.recordsHistory {
                var record = OperationRecord(request: reply.id, key: o.key, isWrite: o.isWrite, session: o.client, intended: o.arrival)
                record.invoked = o.arrival
                record.completed = time
                switch reply.outcome {
                case .timedOut: record.timedOut = true
                case .written(let version), .read(let version?): record.version = version
                case .read(nil): break
                }
                result.records.append(record)
            }
            if closedLoop && !o.thenWrite { queue.push(.issue(client: o.client), at: time &+ thinkTime) }
            switch reply.outcome {
            case .timedOut:
                if o.isWrite {
                    result.writesFailed += 1
                    failedWriteIssued[reply.id] = o.arrival
                } else {
                    result.readsFailed += 1
                }
                if inPartition { result.failedInPartition += 1 }
            case .written(let version):
                result.writes.record(nanoseconds: latency)
                judge.wrote(key: o.key, sequence: reply.id, session: o.client, issued: o.arrival, completed: time, version: version)
                if let pair = o.pair {
                    let request = nextRequest
                    nextRequest += 1
                    let readAt = time + readDelay
                    outstanding[request] = Outstanding(arrival: readAt, isWrite: false, key: o.key, client: -1 - pair, pair: pair)
                    queue.push(.client(node: outsideCoordinator(for: o.key), request: ClientRequest(id: request, operation: .read(key: o.key), replicaChoice: rng.next())),
                               at: readAt)
                }
            case .read(let version):
                result.reads.record(nanoseconds: latency)
                judge.read(version, key: o.key, session: o.client, invoked: o.arrival,
                           inPartition: simulation.setup.network.inPartitionWindow(o.arrival), into: &result)
                if usesContexts, let version {
                    seen[o.client, default: [:]][o.key] = seen[o.client]?[o.key].map { $0.merged(with: version) } ?? version
                    shown[o.client, default: [:]][o.key, default: []].formUnion(version.sequences)
                }
            }
            if o.thenWrite {
                // The put of a get-then-put, whatever the get returned (a failed get leaves the context as it was).
                let request = nextRequest
                nextRequest += 1
                var put = Outstanding(arrival: time, isWrite: true, key: o.key, client: o.client, pair: nil)
                put.followsRead = true
                outstanding[request] = put
                let coordinator = anyCoordinator()
                queue.push(.client(node: coordinator, request: ClientRequest(id: request, operation: .write(key: o.key, sequence: request),
                                                                              replicaChoice: rng.next())), at: time)
            }
        }
    }
}
