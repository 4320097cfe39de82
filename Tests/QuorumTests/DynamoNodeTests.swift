import HashRing
import Hashing
import Testing
@testable import Quorum

/// The Dynamo core as a pure state machine: inputs in, effects out.
@Suite struct DynamoNodeTests {
    static let ring = TokenRing(nodes: (0..<5).map { "node-\($0)" }, virtualNodes: 16)

    @Test func consistencyLevels() {
        #expect(QuorumConfiguration.Level.one.count(n: 5) == 1)
        #expect(QuorumConfiguration.Level.quorum.count(n: 5) == 3)
        #expect(QuorumConfiguration.Level.quorum.count(n: 4) == 3)
        #expect(QuorumConfiguration.Level.all.count(n: 3) == 3)
        let c = QuorumConfiguration(n: 3, read: .quorum, write: .quorum)
        #expect(c.r == 2 && c.w == 2 && c.isStrict)
    }

    @Test func preferenceListsAreDistinctRingOrderedAndExtendable() {
        for key in 0..<200 as Range<UInt64> {
            let three = Self.ring.preferenceList(forKeyHash: key &* 0x9E37_79B9_7F4A_7C15, count: 3)
            let all = Self.ring.preferenceList(forKeyHash: key &* 0x9E37_79B9_7F4A_7C15, count: 5)
            #expect(Set(three).count == 3 && Set(all).count == 5)
            #expect(Array(all.prefix(3)) == three)
            #expect(three[0] == Self.ring.node(forKeyHash: key &* 0x9E37_79B9_7F4A_7C15))
        }
    }

    @Test func writeAnswersAtWAcksOnceWithTheSkewedTimestamp() {
        var node = DynamoNode(id: 0, configuration: QuorumConfiguration(n: 3, r: 1, w: 2), ring: Self.ring, clockSkewNanoseconds: 10_000)
        let effects = node.step(now: 1_000, .client(ClientRequest(id: 7, operation: .write(key: 42, sequence: 7))))
        let owners = node.preferenceList(for: 42)
        let version = Versioned.lww(Version(timestamp: 11_000, coordinator: 0, sequence: 7))
        #expect(effects == owners.map { .send(to: $0, .store(request: 7, key: 42, version: version, hintFor: nil)) }
            + [.setTimer(afterNanoseconds: 100_000_000, .requestTimeout(7))])
        #expect(node.step(now: 2_000, .message(from: owners[0], .stored(request: 7))).isEmpty)
        #expect(node.step(now: 2_000, .message(from: owners[0], .stored(request: 7))).isEmpty) // a duplicate ack does not count
        #expect(node.step(now: 3_000, .message(from: owners[1], .stored(request: 7))) == [.reply(ClientReply(id: 7, outcome: .written(version)))])
        #expect(node.step(now: 4_000, .message(from: owners[2], .stored(request: 7))).isEmpty)
        #expect(node.step(now: 100_001_000, .timer(.requestTimeout(7))).isEmpty)
    }

    @Test func readWithoutQuorumTimesOut() {
        var node = DynamoNode(id: 1, configuration: QuorumConfiguration(n: 3, r: 2, w: 2), ring: Self.ring)
        _ = node.step(now: 0, .client(ClientRequest(id: 1, operation: .read(key: 5))))
        let owner = node.preferenceList(for: 5)[0]
        #expect(node.step(now: 10, .message(from: owner, .fetched(request: 1, version: nil))).isEmpty)
        #expect(node.step(now: 100_000_000, .timer(.requestTimeout(1))) == [.reply(ClientReply(id: 1, outcome: .timedOut))])
    }

    /// LWW: a replica keeps the larger version whatever order writes arrive in.
    @Test func replicaKeepsTheNewestVersion() {
        var node = DynamoNode(id: 2, configuration: QuorumConfiguration(n: 3, r: 1, w: 1), ring: Self.ring)
        let old = Versioned.lww(Version(timestamp: 5, coordinator: 0, sequence: 1))
        let new = Versioned.lww(Version(timestamp: 9, coordinator: 1, sequence: 2))
        _ = node.step(now: 0, .message(from: 0, .store(request: 1, key: 3, version: new, hintFor: nil)))
        _ = node.step(now: 0, .message(from: 1, .store(request: 2, key: 3, version: old, hintFor: nil)))
        #expect(node.store[3] == new)
        #expect(node.step(now: 0, .message(from: 4, .fetch(request: 9, key: 3))) == [.send(to: 4, .fetched(request: 9, version: new))])
    }

    @Test func blockingReadRepairAnswersAfterTheStaleReplicaAcks() {
        var node = DynamoNode(id: 0, configuration: QuorumConfiguration(n: 3, r: 2, w: 2, readRepair: .blocking), ring: Self.ring)
        _ = node.step(now: 0, .client(ClientRequest(id: 3, operation: .read(key: 8))))
        let owners = node.preferenceList(for: 8)
        let v = Versioned.lww(Version(timestamp: 1, coordinator: 1, sequence: 1))
        #expect(node.step(now: 1, .message(from: owners[0], .fetched(request: 3, version: v))).isEmpty)
        #expect(node.step(now: 2, .message(from: owners[1], .fetched(request: 3, version: nil)))
            == [.send(to: owners[1], .repair(request: 3, key: 8, version: v))])
        #expect(node.step(now: 3, .message(from: owners[1], .repaired(request: 3))) == [.reply(ClientReply(id: 3, outcome: .read(v)))])
    }

    @Test func sloppyQuorumHintsAndHandsOff() {
        let config = QuorumConfiguration(n: 3, r: 1, w: 3, sloppyQuorum: true)
        var coordinator = DynamoNode(id: 0, configuration: config, ring: Self.ring)
        _ = coordinator.step(now: 0, .client(ClientRequest(id: 4, operation: .write(key: 77, sequence: 4))))
        let extended = Self.ring.preferenceList(forKeyHash: XXHash64.hash(77), count: 5)
        // Owners 0 and 1 ack; owner 2 is silent, so at the fallback time node extended[3] stands in for it.
        _ = coordinator.step(now: 1, .message(from: extended[0], .stored(request: 4)))
        _ = coordinator.step(now: 1, .message(from: extended[1], .stored(request: 4)))
        let fallback = coordinator.step(now: 25_000_000, .timer(.fallback(4)))
        guard case .send(let to, .store(_, _, let version, let hint)) = fallback.first else {
            Issue.record("expected a hinted store, got \(fallback)")
            return
        }
        #expect(to == extended[3] && hint == extended[2] && fallback.count == 1)
        var standIn = DynamoNode(id: extended[3], configuration: config, ring: Self.ring)
        _ = standIn.step(now: 26_000_000, .message(from: 0, .store(request: 4, key: 77, version: version, hintFor: extended[2])))
        #expect(standIn.hints[extended[2]]?[77] == version)
        let tick = standIn.step(now: 50_000_000, .timer(.handoff))
        #expect(tick.first == .send(to: extended[2], .handoff(key: 77, version: version)))
        _ = standIn.step(now: 51_000_000, .message(from: extended[2], .handedOff(key: 77, version: version)))
        #expect(standIn.hints.isEmpty)
        #expect(coordinator.step(now: 27_000_000, .message(from: extended[3], .stored(request: 4)))
            == [.reply(ClientReply(id: 4, outcome: .written(version)))])
    }
}
