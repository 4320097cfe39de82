import HashRing
import Testing
@testable import Quorum

/// ABD (Attiya, Bar-Noy & Dolev, JACM 1995) as a pure state machine.
@Suite struct ABDNodeTests {
    static let ring = TokenRing(nodes: (0..<5).map { "node-\($0)" }, virtualNodes: 16)
    static let config = QuorumConfiguration(n: 3, r: 2, w: 2)

    /// A write queries a majority, then stores timestamp max + 1 at a majority.
    @Test func writeQueriesThenStoresAtAMajority() {
        var node = ABDNode(id: 4, configuration: Self.config, ring: Self.ring)
        let owners = node.preferenceList(for: 9)
        let first = node.step(now: 0, .client(ClientRequest(id: 1, operation: .write(key: 9, sequence: 1))))
        #expect(first == owners.map { .send(to: $0, .fetch(request: 1, key: 9)) } + [.setTimer(afterNanoseconds: 100_000_000, .requestTimeout(1))])
        let old = Versioned.lww(Version(timestamp: 7, coordinator: 2, sequence: 77))
        #expect(node.step(now: 1, .message(from: owners[0], .fetched(request: 1, version: old))).isEmpty)
        let tag = Versioned.lww(Version(timestamp: 8, coordinator: 4, sequence: 1))
        #expect(node.step(now: 2, .message(from: owners[1], .fetched(request: 1, version: nil)))
            == owners.map { .send(to: $0, .store(request: 1, key: 9, version: tag, hintFor: nil)) })
        #expect(node.step(now: 3, .message(from: owners[2], .fetched(request: 1, version: nil))).isEmpty) // late answer ignored
        #expect(node.step(now: 4, .message(from: owners[1], .stored(request: 1))).isEmpty)
        #expect(node.step(now: 5, .message(from: owners[2], .stored(request: 1))) == [.reply(ClientReply(id: 1, outcome: .written(tag)))])
    }

    /// A read that sees different tags writes the newest back before it answers.
    @Test func readWritesBackTheNewestTag() {
        var node = ABDNode(id: 4, configuration: Self.config, ring: Self.ring)
        let owners = node.preferenceList(for: 3)
        _ = node.step(now: 0, .client(ClientRequest(id: 2, operation: .read(key: 3))))
        let newer = Versioned.lww(Version(timestamp: 5, coordinator: 1, sequence: 10))
        _ = node.step(now: 1, .message(from: owners[0], .fetched(request: 2, version: newer)))
        let back = node.step(now: 2, .message(from: owners[2], .fetched(request: 2, version: nil)))
        #expect(back == owners.map { .send(to: $0, .store(request: 2, key: 3, version: newer, hintFor: nil)) })
        #expect(node.step(now: 3, .message(from: owners[0], .stored(request: 2))).isEmpty)
        #expect(node.step(now: 4, .message(from: owners[2], .stored(request: 2))) == [.reply(ClientReply(id: 2, outcome: .read(newer)))])
    }

    /// When a whole majority already agrees, the write-back is not needed.
    @Test func readOfAnAgreedTagAnswersInOneRoundTrip() {
        var node = ABDNode(id: 0, configuration: Self.config, ring: Self.ring)
        let owners = node.preferenceList(for: 3)
        _ = node.step(now: 0, .client(ClientRequest(id: 3, operation: .read(key: 3))))
        let v = Versioned.lww(Version(timestamp: 5, coordinator: 1, sequence: 10))
        _ = node.step(now: 1, .message(from: owners[1], .fetched(request: 3, version: v)))
        #expect(node.step(now: 2, .message(from: owners[2], .fetched(request: 3, version: v))) == [.reply(ClientReply(id: 3, outcome: .read(v)))])
    }

    @Test func replicaKeepsTheLargestTagAndTimesOut() {
        var node = ABDNode(id: 1, configuration: Self.config, ring: Self.ring)
        let big = Versioned.lww(Version(timestamp: 9, coordinator: 0, sequence: 1))
        _ = node.step(now: 0, .message(from: 2, .store(request: 1, key: 5, version: big, hintFor: nil)))
        _ = node.step(now: 0, .message(from: 3, .store(request: 2, key: 5, version: Versioned.lww(Version(timestamp: 3, coordinator: 4, sequence: 2)), hintFor: nil)))
        #expect(node.store[5] == big.lwwVersion)
        _ = node.step(now: 0, .client(ClientRequest(id: 7, operation: .read(key: 5))))
        #expect(node.step(now: 100_000_000, .timer(.requestTimeout(7))) == [.reply(ClientReply(id: 7, outcome: .timedOut))])
    }
}
