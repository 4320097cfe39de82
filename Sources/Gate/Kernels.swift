import Clocks
import Consistency
import Experiments
import HashRing
import Hashing
import Lab
import Merkle
import Quorum
import RaftLog
import Simulation
import Stats
import Workload

/// The curated list of kernels the regression gate counts instructions
/// for. Adding a kernel is one line here; give it a baseline with
/// `make bench-baseline`.
public enum Kernels {
    public static let all: [Kernel] = [
        Kernel("hash/xxh64-u64", "xxHash64 of one 64-bit key") { RingKernels.hashKeys($0) },
        Kernel("ring/token-ring-v160-n1000/lookup", "token ring lookup, 1 000 nodes × 160 vnodes") { RingKernels.lookup(RingKernels.tokenRing(nodes: 1_000, virtualNodes: 160), $0) },
        Kernel("ring/token-ring-v16-n100/lookup", "token ring lookup, 100 nodes × 16 vnodes") { RingKernels.lookup(RingKernels.tokenRing(nodes: 100, virtualNodes: 16), $0) },
        Kernel("ring/jump-n1000/lookup", "jump consistent hash lookup, 1 000 nodes") { RingKernels.lookup(JumpHash(nodeCount: 1_000), $0) },
        Kernel("ring/ketama-n1000/lookup", "ketama lookup (xxHash64 key), 1 000 servers × 160 points") {
            RingKernels.lookup(Ketama(servers: RingKernels.names(1_000).map { Ketama.Server(host: $0) }), $0)
        },
        // Rendezvous visits every node per key: fewer iterations keep its two callgrind runs short.
        Kernel("ring/rendezvous-n1000/lookup", "rendezvous (HRW) lookup, 1 000 nodes", iterations: (20, 120)) {
            RingKernels.lookup(Rendezvous(nodes: RingKernels.names(1_000)), $0)
        },
        Kernel("ring/maglev-n1000/lookup", "Maglev lookup, 1 000 nodes, table M ≥ 100·n") {
            RingKernels.lookup(Maglev(nodes: RingKernels.names(1_000), tableSize: Maglev.tableSize(forNodes: 1_000)), $0)
        },
        Kernel("ring/multi-probe-n1000/lookup", "multi-probe lookup (21 probes), 1 000 nodes", iterations: (200, 1_200)) {
            RingKernels.lookup(MultiProbe(nodes: RingKernels.names(1_000)), $0)
        },
        Kernel("ring/bounded-load-n1000/lookup", "bounded-load lookup (16 vnodes, ε = 0.25) against the loads of the kernel's keys, 1 000 nodes") {
            RingKernels.lookup(RingKernels.boundedLoad(nodes: 1_000), $0)
        },
        Kernel("ring/anchor-n1000/lookup", "AnchorHash lookup, 1 000 working buckets of 2 000") {
            RingKernels.lookup(AnchorHash(capacity: 2_000, working: 1_000), $0)
        },
        Kernel("clock/dense-n64/merge", "dense vector clock merge, 64 entries, 10 % differ") { ClockKernels.merge(DenseClock.self, entries: 64, $0) },
        Kernel("clock/sparse-n64/merge", "sparse vector clock merge, 64 entries, 10 % differ") { ClockKernels.merge(SparseClock.self, entries: 64, $0) },
        Kernel("clock/dense-n64/compare", "dense vector clock compare, 64 entries, 10 % differ") { ClockKernels.compare(DenseClock.self, entries: 64, $0) },
        Kernel("clock/sparse-n64/compare", "sparse vector clock compare, 64 entries, 10 % differ") { ClockKernels.compare(SparseClock.self, entries: 64, $0) },
        Kernel("raftlog/in-memory/append-256B", "in-memory Raft log append of one 256-byte entry") { RaftLogKernels.inMemoryAppend(payloadBytes: 256, $0) },
        Kernel("merkle/xor-xxh64/leaf-update", "XOR Merkle tree (16^3 leaves) incremental update of one key's version") { MerkleKernels.xorUpdate($0) },
        Kernel("merkle/xor-xxh64/diff-d10-n10k", "level-by-level diff of two 16^3 XOR trees over 10 000 keys, 10 differ", iterations: (20, 120)) { MerkleKernels.smallDiff($0) },
        Kernel("quorum/pbs/wars-trial", "one PBS WARS Monte Carlo trial, lnkd-ssd, N=3 R=1 W=1") { QuorumKernels.pbsTrials($0) },
        Kernel("consistency/check-3k-op-history", "linearizability check of a 3 000-operation register history over 100 keys", iterations: (2, 12)) { ConsistencyKernels.check($0) },
        Kernel("quorum/simulate/operation", "one simulated client operation (events, network, Dynamo core), N=3 R=2 W=2", iterations: (200, 1_200)) { QuorumKernels.simulatedOperations($0, .lww) },
        Kernel("quorum/simulate/operation-vector-clocks", "the same with vector clocks and siblings (DVV sets, client contexts)", iterations: (200, 1_200)) {
            QuorumKernels.simulatedOperations($0, .vectorClocks)
        },
        Kernel("quorum/simulate/operation-raft", "the same on the Raft core (group of 3, ReadIndex reads, followers forward writes)", iterations: (200, 1_200)) {
            QuorumKernels.simulatedOperations($0, .lww, .raft)
        },
        Kernel("runtime/network/delivery-time", "one message's delivery time from the shared network model (WARS legs, lnkd-ssd, 6 nodes)") { RuntimeKernels.deliveryTimes($0) },
        Kernel("runtime/event-queue/push-pop", "one push and one pop on an event heap holding 1 000 events") { RuntimeKernels.eventQueue($0) },
        Kernel("runtime/judge/read", "one LWW read judged for staleness and session guarantees (10 writes per key)") { RuntimeKernels.judgedReads($0) },
    ]

    public static func named(_ name: String) -> Kernel? { all.first { $0.name == name } }
}

/// Kernel bodies for the ring area.
enum RingKernels {
    /// Keys drawn once from a fixed seed; the loop cycles through them.
    static let keys: [UInt64] = {
        var rng = Xoshiro256StarStar(seed: 0x6B65_726E_656C)
        return (0..<4_096).map { _ in rng.next() }
    }()

    static func names(_ count: Int) -> [String] { (0..<count).map { "node-\($0)" } }

    static func tokenRing(nodes: Int, virtualNodes: Int) -> TokenRing {
        TokenRing(nodes: names(nodes), virtualNodes: virtualNodes)
    }

    /// A bounded-load ring that has placed every kernel key once, as `ring-lookup` times it (lookups see the loads).
    static func boundedLoad(nodes: Int) -> BoundedLoadHash {
        var ring = BoundedLoadHash(nodes: names(nodes), virtualNodes: 16, epsilon: 0.25)
        for key in keys { ring.place(keyHash: XXHash64.hash(key)) }
        return ring
    }

    @inline(never)
    static func lookup<R: ConsistentHash>(_ ring: R, _ iterations: Int) -> Int {
        let mask = keys.count - 1
        var checksum = 0
        keys.withUnsafeBufferPointer { keys in
            for i in 0..<iterations { checksum &+= ring.node(for: keys[i & mask]) }
        }
        return checksum
    }

    @inline(never)
    static func hashKeys(_ iterations: Int) -> Int {
        let mask = keys.count - 1
        var checksum: UInt64 = 0
        keys.withUnsafeBufferPointer { keys in
            for i in 0..<iterations { checksum ^= XXHash64.hash(keys[i & mask]) }
        }
        return Int(truncatingIfNeeded: checksum)
    }
}

/// Kernel bodies for the clock area: the pair of `clock-merge` (64 entries, 10 % differ).
enum ClockKernels {
    static func pair<C: CausalClock>(_: C.Type, entries: Int) -> (C, C) {
        var rng = Xoshiro256StarStar(seed: 0x636C_6F63_6B)
        let pair = ClockPair(entries: entries, differFraction: 0.1, rng: &rng)
        return (C(entries: pair.a), C(entries: pair.b))
    }

    /// Merges `b` into `a` again and again: after the first merge `a` has
    /// room for the union, so this is the steady-state, allocation-free merge.
    /// Each iteration also increments one of `b`'s first eight entries, so
    /// every merge has a new counter to take (counted with the merge).
    @inline(never)
    static func merge<C: CausalClock>(_ type: C.Type, entries: Int, _ iterations: Int) -> Int {
        var (a, b) = pair(type, entries: entries)
        for i in 0..<iterations {
            a.merge(b)
            b.increment(NodeID(i & 7))
        }
        return Int(truncatingIfNeeded: a.counter(for: 0))
    }

    @inline(never)
    static func compare<C: CausalClock>(_ type: C.Type, entries: Int, _ iterations: Int) -> Int {
        let (a, b) = pair(type, entries: entries)
        var concurrent = 0
        for _ in 0..<iterations where a.compare(b) == .concurrent { concurrent &+= 1 }
        return concurrent
    }
}

/// Kernel bodies for the Raft log area.
enum RaftLogKernels {
    /// Appends into a log whose storage was reserved up front, so the count is
    /// the append itself, not the amortised growth of its arrays.
    @inline(never)
    static func inMemoryAppend(payloadBytes: Int, _ iterations: Int) -> Int {
        let capacity = 16_384
        var log = InMemoryLog(reservingEntries: capacity, bytes: capacity * payloadBytes)
        let payload = [UInt8](repeating: 0xAB, count: payloadBytes)
        payload.withUnsafeBytes { bytes in
            for _ in 0..<min(iterations, capacity) {
                // Terms never decrease here, so append cannot fail; a failure would show as a wrong checksum.
                guard (try? log.append(term: 1, payload: bytes)) != nil else { return }
            }
        }
        return Int(log.lastIndex)
    }
}

/// Kernel bodies for the Merkle area: 10 000 items on a fanout-16, depth-3 tree.
enum MerkleKernels {
    static let shape = TreeShape(fanout: 16, depth: 3)

    static func items() -> [Item] {
        var rng = Xoshiro256StarStar(seed: 0x6D65_726B_6C65)
        return (0..<10_000).map { _ in Item(key: rng.next(), version: rng.next()) }
    }

    @inline(never)
    static func xorUpdate(_ iterations: Int) -> Int {
        let items = items()
        var tree = XORMerkleTree<XXH64Hash>(shape: shape, items: items)
        for i in 0..<iterations {
            let item = items[i % items.count]
            let round = UInt64(i / items.count)
            tree.update(key: item.key, from: item.version &+ round, to: item.version &+ round &+ 1)
        }
        blackHole(tree.root)
        return tree.nodes.count
    }

    @inline(never)
    static func smallDiff(_ iterations: Int) -> Int {
        let items = items()
        var other = items
        for j in 0..<10 { other[j].version &+= 1 }
        let a = (XORMerkleTree<XXH64Hash>(shape: shape, items: items), LeafIndex(shape: shape, items: items))
        let b = (XORMerkleTree<XXH64Hash>(shape: shape, items: other), LeafIndex(shape: shape, items: other))
        var streamed = 0
        for _ in 0..<iterations { streamed &+= MerkleDiff.run(initiator: a, responder: b).keysStreamed }
        return streamed
    }
}

/// Kernel bodies for the quorum area, on the bundled lnkd-ssd model.
enum QuorumKernels {
    static func ssd() -> LatencyModel {
        // The bundled catalog always has the PBS presets; a failure here is a build defect.
        try! LatencyModelCatalog.bundled.model(named: "lnkd-ssd")
    }

    /// One WARS trial on preallocated scratch space (without `run`'s final sorts).
    @inline(never)
    static func pbsTrials(_ iterations: Int) -> Int {
        var rng = Xoshiro256StarStar(seed: 0x7062_73)
        let pbs = PBSMonteCarlo(model: ssd(), n: 3, r: 1, w: 1)
        let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: 4 * pbs.n)
        let order = UnsafeMutableBufferPointer<Int>.allocate(capacity: pbs.n)
        defer {
            scratch.deallocate()
            order.deallocate()
        }
        var consistentAtCommit = 0
        for _ in 0..<iterations where pbs.runTrial(&rng, scratch: scratch, order: order).2 <= 0 { consistentAtCommit &+= 1 }
        return consistentAtCommit
    }

    @inline(never)
    static func simulatedOperations(_ iterations: Int, _ versioning: Versioning, _ replication: ReplicationProtocol = .dynamo) -> Int {
        let model = ssd()
        var quorum = QuorumConfiguration(n: 3, r: 2, w: 2)
        quorum.versioning = versioning
        let setup = QuorumSimulation.Setup(nodeCount: 6, quorum: quorum, network: NetworkModel(model: model, nodeCount: 6), replication: replication)
        let stream = OperationStream(
            ratePerSecond: 1_000, writeFraction: 0.5, keys: KeyDistribution(.uniform, keyCount: 1_000),
            clients: 16, rng: Xoshiro256StarStar(seed: 0x73696D))
        return QuorumSimulation(setup).run(.workload(stream, operations: iterations), seed: 4).events
    }
}

/// Kernel bodies for the consistency area.
enum ConsistencyKernels {
    @inline(never)
    static func check(_ iterations: Int) -> Int {
        var rng = Xoshiro256StarStar(seed: 0x6C69_6E)
        let history = History.overlappingWrites(rounds: 1_000, keys: 100, using: &rng)
        let checker = LinearizabilityChecker()
        var linearizable = 0
        for _ in 0..<iterations {
            // The history is well formed by construction; a thrown error would show as a wrong checksum.
            if let report = try? checker.check(history), report.verdict == .linearizable { linearizable &+= 1 }
        }
        return linearizable
    }
}
