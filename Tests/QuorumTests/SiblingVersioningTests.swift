import HashRing
import Stats
import Testing
@testable import Quorum

/// The Dynamo core with vector clocks and siblings (DeCandia et al. §4.4, as
/// dotted version vector sets): concurrent writes survive as siblings, a
/// write carrying a read's context reconciles them, and merging is a join.
@Suite struct SiblingVersioningTests {
    static let ring = TokenRing(nodes: (0..<5).map { "node-\($0)" }, virtualNodes: 16)
    static func config(r: Int = 1, w: Int = 1, repair: QuorumConfiguration.ReadRepair = .off) -> QuorumConfiguration {
        var c = QuorumConfiguration(n: 3, r: r, w: w, readRepair: repair)
        c.versioning = .vectorClocks
        return c
    }

    /// The state a coordinator sends for write `sequence` of `key`.
    static func write(_ node: inout DynamoNode, key: UInt64, sequence: UInt64, context: Versioned? = nil) -> Versioned {
        let effects = node.step(now: 0, .client(ClientRequest(id: sequence, operation: .write(key: key, sequence: sequence), context: context)))
        guard case .send(_, .store(_, _, let version, _)) = effects.first else { preconditionFailure("expected a store, got \(effects)") }
        return version
    }

    /// Two blind writes through different coordinators are concurrent: a
    /// replica that receives both keeps both, a read returns both, and a
    /// write with that read's context replaces both with one value.
    @Test func concurrentWritesBecomeSiblingsAndAContextReconcilesThem() {
        let key: UInt64 = 21
        var a = DynamoNode(id: 0, configuration: Self.config(), ring: Self.ring)
        var b = DynamoNode(id: 1, configuration: Self.config(), ring: Self.ring)
        let first = Self.write(&a, key: key, sequence: 1)
        let second = Self.write(&b, key: key, sequence: 2)
        #expect(!first.includes(second) && !second.includes(first))
        var replica = DynamoNode(id: 4, configuration: Self.config(), ring: Self.ring)
        _ = replica.step(now: 1, .message(from: 0, .store(request: 1, key: key, version: first, hintFor: nil)))
        _ = replica.step(now: 2, .message(from: 1, .store(request: 2, key: key, version: second, hintFor: nil)))
        let held = replica.store[key]!
        #expect(Set(held.sequences) == [1, 2])
        #expect(held.includes(first) && held.includes(second))

        // The same writes arriving in the other order leave the same siblings.
        var other = DynamoNode(id: 3, configuration: Self.config(), ring: Self.ring)
        _ = other.step(now: 1, .message(from: 1, .store(request: 2, key: key, version: second, hintFor: nil)))
        _ = other.step(now: 2, .message(from: 0, .store(request: 1, key: key, version: first, hintFor: nil)))
        #expect(Set(other.store[key]!.sequences) == [1, 2] && other.store[key]!.includes(held) && held.includes(other.store[key]!))

        // A client that read both writes sequence 3 with that context: one value remains.
        let third = Self.write(&a, key: key, sequence: 3, context: held)
        _ = replica.step(now: 3, .message(from: 0, .store(request: 3, key: key, version: third, hintFor: nil)))
        #expect(replica.store[key]!.sequences == [3])
        // A blind write from the same coordinator does not overwrite its own earlier write.
        let blind = Self.write(&a, key: key, sequence: 4)
        #expect(Set(blind.sequences) == [3, 4])
    }

    /// A read merges the R responses, answers every sibling, and blocking
    /// repair sends the merge to each responder that lacked part of it.
    @Test func readMergesSiblingsAndRepairsEveryReplicaMissingOne() {
        let key: UInt64 = 8
        var a = DynamoNode(id: 3, configuration: Self.config(), ring: Self.ring)
        var b = DynamoNode(id: 4, configuration: Self.config(), ring: Self.ring)
        let x = Self.write(&a, key: key, sequence: 10)
        let y = Self.write(&b, key: key, sequence: 11)
        var coordinator = DynamoNode(id: 0, configuration: Self.config(r: 2, w: 2, repair: .blocking), ring: Self.ring)
        _ = coordinator.step(now: 0, .client(ClientRequest(id: 5, operation: .read(key: key))))
        let owners = coordinator.preferenceList(for: key)
        #expect(coordinator.step(now: 1, .message(from: owners[0], .fetched(request: 5, version: x))).isEmpty)
        let merged = x.merged(with: y)
        #expect(coordinator.step(now: 2, .message(from: owners[1], .fetched(request: 5, version: y)))
            == [.send(to: owners[0], .repair(request: 5, key: key, version: merged)), .send(to: owners[1], .repair(request: 5, key: key, version: merged))])
        #expect(coordinator.step(now: 3, .message(from: owners[0], .repaired(request: 5))).isEmpty)
        #expect(coordinator.step(now: 4, .message(from: owners[1], .repaired(request: 5))) == [.reply(ClientReply(id: 5, outcome: .read(merged)))])
        #expect(Set(merged.sequences) == [10, 11])
    }

    /// Blocking repair answers with the merge it installed: a third response
    /// arriving while the repairs are out does not make the reply newer than
    /// what the repaired replicas hold (else the next R=2 read could go back).
    @Test func blockingRepairAnswersWithWhatItInstalled() {
        let key: UInt64 = 8
        var writers = (2...4).map { DynamoNode(id: $0, configuration: Self.config(), ring: Self.ring) }
        let x = Self.write(&writers[0], key: key, sequence: 20)
        let y = Self.write(&writers[1], key: key, sequence: 21)
        let z = Self.write(&writers[2], key: key, sequence: 22)
        var coordinator = DynamoNode(id: 0, configuration: Self.config(r: 2, w: 2, repair: .blocking), ring: Self.ring)
        _ = coordinator.step(now: 0, .client(ClientRequest(id: 6, operation: .read(key: key))))
        let owners = coordinator.preferenceList(for: key)
        _ = coordinator.step(now: 1, .message(from: owners[0], .fetched(request: 6, version: x)))
        #expect(coordinator.step(now: 2, .message(from: owners[1], .fetched(request: 6, version: y))).count == 2)
        #expect(coordinator.step(now: 3, .message(from: owners[2], .fetched(request: 6, version: z))).isEmpty)
        _ = coordinator.step(now: 4, .message(from: owners[0], .repaired(request: 6)))
        #expect(coordinator.step(now: 5, .message(from: owners[1], .repaired(request: 6))) == [.reply(ClientReply(id: 6, outcome: .read(x.merged(with: y))))])
    }

    /// Merge is a join on random histories of writes (random coordinators,
    /// contexts from earlier states or none) and replica exchanges:
    /// commutative and idempotent up to the values and causal context it
    /// holds, and an upper bound of both inputs under ``Versioned/includes(_:)``.
    @Test func mergeIsAJoinOnRandomHistories() {
        var rng = Xoshiro256StarStar(seed: 7)
        var coordinators = (0..<4).map { DynamoNode(id: $0, configuration: Self.config(), ring: Self.ring) }
        var states: [Versioned] = []
        for sequence in 1...300 as ClosedRange<UInt64> {
            let node = Int(rng.next() % 4)
            let context = states.isEmpty || rng.next() % 3 == 0 ? nil : states[Int(rng.next() % UInt64(states.count))]
            var state = Self.write(&coordinators[node], key: 1, sequence: sequence, context: context)
            if !states.isEmpty && rng.next() % 2 == 0 { state = state.merged(with: states[Int(rng.next() % UInt64(states.count))]) }
            states.append(state)
        }
        func same(_ a: Versioned, _ b: Versioned) -> Bool { Set(a.sequences) == Set(b.sequences) && a.includes(b) && b.includes(a) }
        for _ in 0..<500 {
            let a = states[Int(rng.next() % 300)], b = states[Int(rng.next() % 300)], c = states[Int(rng.next() % 300)]
            let ab = a.merged(with: b)
            #expect(same(ab, b.merged(with: a)))
            #expect(same(a.merged(with: a), a))
            #expect(same(ab.merged(with: c), a.merged(with: b.merged(with: c))))
            #expect(ab.includes(a) && ab.includes(b))
            #expect(ab.valueCount == ab.sequences.count)
            // A value both sides hold survives; one side's value is dropped only when the other has seen it overwritten.
            for s in a.sequences where !ab.sequences.contains(s) { #expect(!b.sequences.contains(s)) }
            #expect(Set(a.sequences).intersection(b.sequences).isSubset(of: Set(ab.sequences)))
        }
    }

    /// LWW is unchanged: the newer timestamp wins and merging is max.
    @Test func lwwMergeIsMax() {
        let old = Versioned.lww(Version(timestamp: 5, coordinator: 0, sequence: 1))
        let new = Versioned.lww(Version(timestamp: 9, coordinator: 1, sequence: 2))
        #expect(old.merged(with: new) == new && new.merged(with: old) == new)
        #expect(new.includes(old) && !old.includes(new) && old.includes(old))
        #expect(new.sequences == [2] && new.lwwVersion == Version(timestamp: 9, coordinator: 1, sequence: 2))
    }
}
