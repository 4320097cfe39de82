import Merkle
import Stats
import Testing

@Suite struct TreeTests {
    static let shapes = [TreeShape(fanout: 2, depth: 6), TreeShape(fanout: 4, depth: 3), TreeShape(fanout: 16, depth: 2), TreeShape(fanout: 8, depth: 0)]

    @Test func presetsHaveTheIssuesLeafCounts() {
        #expect(TreeShape.cassandra.leafCount == 32_768)
        #expect(TreeShape.cassandra.fanout == 2 && TreeShape.cassandra.depth == 15)
        #expect(TreeShape.riak.leafCount == 1 << 20)
        #expect(TreeShape.riak.fanout == 1024)
    }

    /// FIPS 180-2 Appendix B.1: SHA-256("abc") = ba7816bf 8f01cfea …
    @Test func sha256KnownAnswer() {
        let digest = Array("abc".utf8).withUnsafeBytes { SHA256Hash.hash($0) }
        #expect(digest.w0 == 0xEACF_018F_BF16_78BA)  // bytes ba 78 16 bf 8f 01 cf ea, little-endian
        #expect(digest.w3 == 0xAD15_00F2_61FF_10B4)  // … f20015ad: bytes b4 10 ff 61 f2 00 15 ad
    }

    @Test(arguments: shapes)
    func xorTreeAfterUpdatesEqualsRebuiltXORTree(shape: TreeShape) {
        var rng = Xoshiro256StarStar(seed: 11)
        var state: [UInt64: UInt64] = [:]
        for item in randomItems(300, rng: &rng) { state[item.key] = item.version }
        var fast = XORMerkleTree<XXH64Hash>(shape: shape, items: state.map { Item(key: $0.key, version: $0.value) })
        var strong = XORMerkleTree<SHA256Hash>(shape: shape, items: state.map { Item(key: $0.key, version: $0.value) })
        let keys = Array(state.keys)
        for step in 0..<2_000 {
            // Update, delete or insert, chosen at random.
            let key: UInt64 = rng.next() % 3 == 0 ? rng.next() : keys[Int(rng.next() % UInt64(keys.count))]
            let old = state[key]
            let new: UInt64? = rng.next() % 4 == 0 ? nil : rng.next()
            state[key] = new
            fast.update(key: key, from: old, to: new)
            strong.update(key: key, from: old, to: new)
            if step % 500 == 499 {
                let items = state.map { Item(key: $0.key, version: $0.value) }
                #expect(fast.nodes == XORMerkleTree<XXH64Hash>(shape: shape, items: items).nodes)
                #expect(strong.nodes == XORMerkleTree<SHA256Hash>(shape: shape, items: items).nodes)
            }
        }
    }

    @Test func xorTreesOverDisjointDataMergeByXOR() {
        var rng = Xoshiro256StarStar(seed: 12)
        let items = randomItems(500, rng: &rng)
        let shape = TreeShape(fanout: 4, depth: 3)
        var left = XORMerkleTree<SHA256Hash>(shape: shape, items: items[..<200])
        left.formUnion(XORMerkleTree<SHA256Hash>(shape: shape, items: items[200...]))
        #expect(left.nodes == XORMerkleTree<SHA256Hash>(shape: shape, items: items).nodes)
    }

    @Test(arguments: shapes)
    func rebuiltTreeUpdatedInPlaceEqualsFreshBuild(shape: TreeShape) {
        var rng = Xoshiro256StarStar(seed: 13)
        var state: [UInt64: UInt64] = [:]
        for item in randomItems(200, rng: &rng) { state[item.key] = item.version }
        var tree = RebuiltMerkleTree<SHA256Hash>(shape: shape, items: state.map { Item(key: $0.key, version: $0.value) })
        var fast = RebuiltMerkleTree<XXH64Hash>(shape: shape, items: state.map { Item(key: $0.key, version: $0.value) })
        let keys = Array(state.keys)
        for _ in 0..<300 {
            let key: UInt64 = rng.next() % 3 == 0 ? rng.next() : keys[Int(rng.next() % UInt64(keys.count))]
            let new: UInt64? = rng.next() % 4 == 0 ? nil : rng.next()
            state[key] = new
            tree.set(key: key, version: new)
            fast.set(key: key, version: new)
        }
        let items = state.map { Item(key: $0.key, version: $0.value) }
        #expect(tree.nodes == RebuiltMerkleTree<SHA256Hash>(shape: shape, items: items).nodes)
        #expect(fast.nodes == RebuiltMerkleTree<XXH64Hash>(shape: shape, items: items).nodes)
        #expect(tree.index.items.count == items.count)
    }

    @Test func rebuiltDigestDependsOnVersionAndNotOnInsertionOrder() {
        var rng = Xoshiro256StarStar(seed: 14)
        let items = randomItems(100, rng: &rng)
        let shape = TreeShape(fanout: 4, depth: 2)
        let a = RebuiltMerkleTree<SHA256Hash>(shape: shape, items: items)
        let b = RebuiltMerkleTree<SHA256Hash>(shape: shape, items: items.reversed())
        #expect(a.root == b.root)
        var changed = items
        changed[0].version &+= 1
        #expect(RebuiltMerkleTree<SHA256Hash>(shape: shape, items: changed).root != a.root)
    }
}
