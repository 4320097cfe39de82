import Merkle
import Stats
import Testing

@Suite struct DiffTests {
    static let shapes = [TreeShape(fanout: 2, depth: 8), TreeShape(fanout: 4, depth: 4), TreeShape(fanout: 16, depth: 2), TreeShape(fanout: 256, depth: 1)]

    func check<T: MerkleTree>(_ make: (TreeShape, [Item]) -> T, shape: TreeShape, seed: UInt64, d: Int) {
        var rng = Xoshiro256StarStar(seed: seed)
        let a = randomItems(2_000, rng: &rng)
        let (b, changed) = diverge(a, by: d, rng: &rng)
        let storeA = LeafIndex(shape: shape, items: a), storeB = LeafIndex(shape: shape, items: b)
        let report = MerkleDiff.run(initiator: (make(shape, a), storeA), responder: (make(shape, b), storeB))
        let expectedLeaves = Set(changed.map { shape.leaf(forKey: $0) })
        #expect(Set(report.differingLeaves) == expectedLeaves)
        #expect(report.differingLeaves.count == expectedLeaves.count)
        #expect(report.differingKeys == changed.count)
        #expect(report.keysStreamed >= changed.count)
        // Every streamed key lies in a differing leaf, and every changed key is streamed.
        var initiator = DiffInitiator(tree: make(shape, a), store: storeA)
        var responder = DiffResponder(tree: make(shape, b), store: storeB)
        var next: DiffMessage<T.Digest>? = initiator.start()
        while let message = next { next = initiator.receive(responder.receive(message)) }
        let streamed = Set((initiator.localItems + initiator.remoteItems).map(\.key))
        #expect(changed.isSubset(of: streamed))
        #expect(streamed.allSatisfy { expectedLeaves.contains(shape.leaf(forKey: $0)) })
        #expect(Set(initiator.differingKeys) == changed)
        #expect(report.roundTrips == shape.depth + 2)
    }

    @Test(arguments: shapes, [1, 7, 60])
    func diffFindsExactlyTheLeavesOfTheDifferingKeys(shape: TreeShape, d: Int) {
        check({ XORMerkleTree<XXH64Hash>(shape: $0, items: $1) }, shape: shape, seed: UInt64(d) &* 31 &+ UInt64(shape.leafCount), d: d)
        check({ RebuiltMerkleTree<SHA256Hash>(shape: $0, items: $1) }, shape: shape, seed: UInt64(d) &* 37 &+ UInt64(shape.leafCount), d: d)
        check({ XORMerkleTree<SHA256Hash>(shape: $0, items: $1) }, shape: shape, seed: UInt64(d) &* 41, d: d)
        check({ RebuiltMerkleTree<XXH64Hash>(shape: $0, items: $1) }, shape: shape, seed: UInt64(d) &* 43, d: d)
    }

    @Test(arguments: shapes)
    func identicalReplicasTakeOneRoundTripAndStreamNothing(shape: TreeShape) {
        var rng = Xoshiro256StarStar(seed: 5)
        let items = randomItems(1_000, rng: &rng)
        let store = LeafIndex(shape: shape, items: items)
        let tree = XORMerkleTree<SHA256Hash>(shape: shape, items: items)
        let report = MerkleDiff.run(initiator: (tree, store), responder: (XORMerkleTree<SHA256Hash>(shape: shape, items: items.reversed()), store))
        #expect(report.roundTrips == 1)
        #expect(report.keysStreamed == 0 && report.differingKeys == 0 && report.differingLeaves.isEmpty)
        #expect(report.nodesCompared == 1)
        #expect(report.bytesInitiatorToResponder == 8 + 32)
        #expect(report.bytesResponderToInitiator == 8 + 1)
    }
}
