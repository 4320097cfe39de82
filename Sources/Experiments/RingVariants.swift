import HashRing
import Hashing
import Lab
import Stats

/// The placement variants the ring experiments compare, each wrapped so an
/// experiment can build it for a node set, time it and read its mapping
/// without knowing its type. The closures are created once per built ring;
/// the loops inside them are specialised for the concrete type (no dynamic
/// dispatch per key).
enum RingVariants {
    /// One configured variant: an algorithm and its parameter.
    struct Candidate {
        let algorithm: String
        /// Tokens (points) per node for the rings; 0 where the variant has none.
        let virtualNodes: Int
        /// Target weights are not all equal.
        let weighted: Bool
        /// Lookup cost grows linearly with the node count: experiments cap its keys.
        let linearLookup: Bool
        let build: ([String]) -> Built
    }

    /// A variant built for one node set. Node ordinals index the names it was built from.
    struct Built {
        let memoryBytes: Int
        /// ns per lookup over raw keys (xxHash64 of the key, then selection).
        let measureLookup: ([UInt64]) -> Double
        /// ns per selection over precomputed key hashes.
        let measureSelect: ([UInt64]) -> Double
        /// The node ordinal for each key hash (for bounded loads: placing them in order).
        let assign: ([UInt64]) -> [Int32]
        /// The same variant after removing node `r`, ordinals still indexing the original names.
        let removing: (Int) -> Built
        /// The same variant with one node added; it gets ordinal `names.count`.
        let adding: () -> Built
    }

    /// Keys to time per sample for a candidate: the full stream, except for
    /// the variants whose lookup costs many times more (rendezvous: O(n);
    /// multi-probe: 21 binary searches), which get a share that keeps a sample
    /// near the others' duration. The CSV's `keys` column records the count used.
    static func keysPerSample(_ candidate: Candidate, nodes: Int, keyCount: Int) -> Int {
        if candidate.algorithm == MultiProbe.algorithm { return max(1_024, keyCount / 8) }
        return keysWithinBudget(candidate, nodes: nodes, keyCount: keyCount, nodeVisits: 1 << 22, atLeast: 1_024)
    }

    /// All `keyCount` keys, except for a variant whose lookup visits every
    /// node (rendezvous): it maps `nodeVisits / nodes` keys, at least
    /// `atLeast`, so its cost stays bounded as the node count grows. The
    /// experiments' `keys` column records the count used.
    static func keysWithinBudget(_ candidate: Candidate, nodes: Int, keyCount: Int, nodeVisits: Int, atLeast: Int) -> Int {
        candidate.linearLookup ? min(keyCount, max(atLeast, nodeVisits / nodes)) : keyCount
    }

    /// The parameters every ring experiment shares (their leading columns are the same three).
    static func commonParameters(nodes: @escaping @Sendable (Scale) -> [Int], virtualNodes: [Int]) -> [Parameter] {
        [
            Parameter("algorithm", "placement variant") { _ in RingLookup.algorithms },
            Parameter("nodes", "node count") { nodes($0).map(String.init) },
            Parameter("virtual_nodes", "tokens per node (token-ring; ketama 160, bounded-load 16)") { _ in virtualNodes.map(String.init) },
        ]
    }

    static func names(_ count: Int) -> [String] { (0..<count).map { "node-\($0)" } }

    /// Target weight of a node in the weighted variants: 1, 2 or 3, a function
    /// of its name (so it stays with the node when others come and go).
    static func weight(_ name: String) -> Int { Int(XXHash64.hash(name) % 3) + 1 }

    /// ε for bounded loads and the anchor's capacity factor, as the experiments configure them.
    static let boundedLoadEpsilon = 0.25
    static let anchorCapacityFactor = 2

    /// Every variant, in the order the experiments report them.
    static func candidates(virtualNodeCounts: [Int], weighted: Bool = false) -> [Candidate] {
        var list = virtualNodeCounts.map { v in
            Candidate(algorithm: TokenRing.algorithm, virtualNodes: v, weighted: false, linearLookup: false) {
                byName($0) { TokenRing(nodes: $0, virtualNodes: v) }
            }
        }
        list += [
            Candidate(algorithm: Ketama.algorithm, virtualNodes: Ketama.pointsPerServer, weighted: false, linearLookup: false) {
                byName($0) { Ketama(servers: $0.map { Ketama.Server(host: $0) }) }
            },
            Candidate(algorithm: JumpHash.algorithm, virtualNodes: 0, weighted: false, linearLookup: false) {
                byName($0) { JumpHash(nodeCount: $0.count) }
            },
            Candidate(algorithm: Rendezvous.algorithm, virtualNodes: 0, weighted: false, linearLookup: true) {
                byName($0) { Rendezvous(nodes: $0) }
            },
            Candidate(algorithm: Maglev.algorithm, virtualNodes: 0, weighted: false, linearLookup: false) {
                // M is fixed when the table is first built and kept through membership changes, as in Maglev.
                let m = Maglev.tableSize(forNodes: $0.count)
                return byName($0) { Maglev(nodes: $0, tableSize: m) }
            },
            Candidate(algorithm: MultiProbe.algorithm, virtualNodes: 0, weighted: false, linearLookup: false) {
                byName($0) { MultiProbe(nodes: $0) }
            },
            Candidate(algorithm: BoundedLoadHash.algorithm, virtualNodes: 16, weighted: false, linearLookup: false) {
                boundedLoad($0)
            },
            Candidate(algorithm: AnchorHash.algorithm, virtualNodes: 0, weighted: false, linearLookup: false) {
                anchor(AnchorHash(capacity: $0.count * anchorCapacityFactor, working: $0.count))
            },
        ]
        if weighted {
            list += [
                Candidate(algorithm: Ketama.algorithm, virtualNodes: Ketama.pointsPerServer, weighted: true, linearLookup: false) {
                    byName($0) { names in Ketama(servers: names.map { Ketama.Server(host: $0, weight: weight($0)) }) }
                },
                Candidate(algorithm: Rendezvous.algorithm, virtualNodes: 0, weighted: true, linearLookup: true) {
                    byName($0) { names in Rendezvous(nodes: names, weights: names.map { Double(weight($0)) }) }
                },
            ]
        }
        return list
    }

    /// A variant rebuilt from names on every change (the usual way a ring learns of a new node set).
    static func byName<R: ConsistentHash>(_ names: [String], _ make: @escaping ([String]) -> R) -> Built {
        let ring = make(names)
        return Built(
            memoryBytes: memoryBytes(ring),
            measureLookup: { keys in Timing.nanosecondsPerOperation(operations: keys.count) { lookupAll(ring, keys) } },
            measureSelect: { hashes in Timing.nanosecondsPerOperation(operations: hashes.count) { selectAll(ring, hashes) } },
            assign: { hashes in assignAll(ring, hashes) },
            removing: { r in
                var survivors = names
                survivors.remove(at: r)
                let inner = byName(survivors, make)
                return remapped(inner) { $0 >= Int32(r) ? $0 + 1 : $0 }
            },
            adding: { byName(names + ["node-added-\(names.count)"], make) })
    }

    /// Bounded loads: lookups are timed against the loads left by assigning the key stream.
    static func boundedLoad(_ names: [String]) -> Built {
        let fresh = BoundedLoadHash(nodes: names, virtualNodes: 16, epsilon: boundedLoadEpsilon)
        func assign(_ hashes: [UInt64]) -> [Int32] {
            var ring = fresh
            return hashes.map { Int32(ring.place(keyHash: $0)) }
        }
        func loaded(_ hashes: [UInt64]) -> BoundedLoadHash {
            var ring = fresh
            for hash in hashes { ring.place(keyHash: hash) }
            return ring
        }
        return Built(
            memoryBytes: fresh.memoryBytes,
            measureLookup: { keys in
                let ring = loaded(keys.map { XXHash64.hash($0) })
                return Timing.nanosecondsPerOperation(operations: keys.count) { lookupAll(ring, keys) }
            },
            measureSelect: { hashes in
                let ring = loaded(hashes)
                return Timing.nanosecondsPerOperation(operations: hashes.count) { selectAll(ring, hashes) }
            },
            assign: assign,
            removing: { r in
                var survivors = names
                survivors.remove(at: r)
                return remapped(boundedLoad(survivors)) { $0 >= Int32(r) ? $0 + 1 : $0 }
            },
            adding: { boundedLoad(names + ["node-added-\(names.count)"]) })
    }

    /// AnchorHash changes in place: bucket ids are the ordinals and stay put.
    static func anchor(_ anchor: AnchorHash) -> Built {
        Built(
            memoryBytes: anchor.memoryBytes,
            measureLookup: { keys in Timing.nanosecondsPerOperation(operations: keys.count) { lookupAll(anchor, keys) } },
            measureSelect: { hashes in Timing.nanosecondsPerOperation(operations: hashes.count) { selectAll(anchor, hashes) } },
            assign: { assignAll(anchor, $0) },
            removing: { r in
                var changed = anchor
                changed.removeBucket(r)
                return Self.anchor(changed)
            },
            adding: {
                // The next bucket to come back is the first unused one, `working`: the new node's ordinal.
                var changed = anchor
                changed.addBucket()
                return Self.anchor(changed)
            })
    }

    static func remapped(_ inner: Built, _ map: @escaping (Int32) -> Int32) -> Built {
        Built(
            memoryBytes: inner.memoryBytes, measureLookup: inner.measureLookup, measureSelect: inner.measureSelect,
            assign: { inner.assign($0).map(map) }, removing: inner.removing, adding: inner.adding)
    }

    static func memoryBytes<R: ConsistentHash>(_ ring: R) -> Int {
        switch ring {
        case let r as TokenRing: r.memoryBytes
        case let r as Ketama: r.memoryBytes
        case let r as Rendezvous: r.memoryBytes
        case let r as Maglev: r.memoryBytes
        case let r as MultiProbe: r.memoryBytes
        case let r as AnchorHash: r.memoryBytes
        default: 0  // jump: no tables
        }
    }

    @inline(never)
    static func lookupAll<R: ConsistentHash>(_ ring: R, _ keys: [UInt64]) -> Int {
        var checksum = 0
        keys.withUnsafeBufferPointer { keys in
            for key in keys { checksum &+= ring.node(for: key) }
        }
        return checksum
    }

    @inline(never)
    static func selectAll<R: ConsistentHash>(_ ring: R, _ hashes: [UInt64]) -> Int {
        var checksum = 0
        hashes.withUnsafeBufferPointer { hashes in
            for hash in hashes { checksum &+= ring.node(forKeyHash: hash) }
        }
        return checksum
    }

    static func assignAll<R: ConsistentHash>(_ ring: R, _ hashes: [UInt64]) -> [Int32] {
        hashes.map { Int32(truncatingIfNeeded: ring.node(forKeyHash: $0)) }
    }
}
