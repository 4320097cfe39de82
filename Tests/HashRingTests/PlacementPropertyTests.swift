import Testing
@testable import HashRing
import Stats

/// Properties every `ConsistentHash` variant must have.
@Suite struct PlacementPropertyTests {
    static let names = (0..<37).map { "node-\($0)" }

    static func check<R: ConsistentHash>(_ ring: R, keys: [UInt64]) -> [Int] {
        keys.map { ring.node(for: $0) }
    }

    static let keys: [UInt64] = {
        var rng = Xoshiro256StarStar(seed: 1)
        return (0..<10_000).map { _ in rng.next() }
    }()

    @Test func everyKeyMapsToANodeInRange() {
        for mapping in [Self.check(TokenRing(nodes: Self.names, virtualNodes: 16), keys: Self.keys),
                        Self.check(JumpHash(nodeCount: 37), keys: Self.keys)] {
            #expect(mapping.allSatisfy { (0..<37).contains($0) })
            #expect(Set(mapping).count == 37, "10 000 keys should reach all 37 nodes")
        }
    }

    /// The mapping is a pure function of the node names, key and seed: this
    /// fingerprint of 10 000 keys is the same in every process and on every
    /// machine. (A randomly seeded hash, such as Swift's `Hasher`, would change it each run.)
    @Test func mappingIsTheSameInEveryProcess() {
        func fingerprint(_ mapping: [Int]) -> UInt64 {
            mapping.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        }
        let token = fingerprint(Self.check(TokenRing(nodes: Self.names, virtualNodes: 16), keys: Self.keys))
        let jump = fingerprint(Self.check(JumpHash(nodeCount: 37), keys: Self.keys))
        #expect(token == TokenRingGolden.fingerprint)
        #expect(jump == JumpGolden.fingerprint)
        // Building twice gives the same ring.
        #expect(Self.check(TokenRing(nodes: Self.names, virtualNodes: 16), keys: Self.keys)
            == Self.check(TokenRing(nodes: Self.names, virtualNodes: 16), keys: Self.keys))
    }
}

/// Recorded from this test's first run (commit introducing it). A change here
/// means every deployed ring would remap keys: treat it as a format break.
enum TokenRingGolden { static let fingerprint: UInt64 = 16_380_690_427_999_119_975 }
enum JumpGolden { static let fingerprint: UInt64 = 6_667_905_406_006_519_178 }
