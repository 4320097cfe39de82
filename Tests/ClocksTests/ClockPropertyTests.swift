import Testing
@testable import Clocks
import Stats

/// Laws every `CausalClock` variant must obey, checked over seeded random
/// clocks: merge is a join (commutative, associative, idempotent, an upper
/// bound), compare agrees with merge, and the encoding round-trips.
@Suite struct ClockPropertyTests {
    /// A random clock over `nodes` node ids spaced 3 apart (so dense clocks
    /// have gaps) with small counters, so equal and ordered pairs are common.
    static func randomEntries(_ rng: inout Xoshiro256StarStar, nodes: Int = 6, maxCounter: UInt64 = 3) -> [(node: NodeID, counter: UInt64)] {
        (0..<nodes).compactMap { i in
            let counter = rng.next() % (maxCounter + 1)
            return counter == 0 ? nil : (NodeID(i * 3), counter)
        }
    }

    static func checkLaws<C: CausalClock>(_: C.Type, seed: UInt64, trials: Int = 400) throws {
        var rng = Xoshiro256StarStar(seed: seed)
        var orders: [CausalOrder: Int] = [:]
        for _ in 0..<trials {
            let aEntries = randomEntries(&rng)
            let a = C(entries: aEntries)
            let b: C
            switch rng.next() % 3 {
            case 0: b = C(entries: randomEntries(&rng))
            case 1: b = C(entries: aEntries)
            default:
                // A descendant built without `merge`: a's counters, some raised.
                b = C(entries: aEntries.map { ($0.node, $0.counter + rng.next() % 2) }
                    + [(node: 40, counter: 1 + rng.next() % 2)])
            }
            let c = C(entries: randomEntries(&rng))
            let ab = a.merged(b)
            #expect(ab == b.merged(a), "merge commutes")
            #expect(ab.merged(c) == a.merged(b.merged(c)), "merge associates")
            #expect(a.merged(a) == a, "merge is idempotent")
            #expect(ab.dominates(a) && ab.dominates(b), "a ⊔ b dominates both")
            let order = a.compare(b)
            orders[order, default: 0] += 1
            #expect((order == .before || order == .equal) == (ab == b), "a ≤ b ⇔ a ⊔ b == b")
            #expect((order == .after || order == .equal) == (ab == a), "a ≥ b ⇔ a ⊔ b == a")
            #expect(b.compare(a) == order.reversed, "compare is antisymmetric; concurrent is symmetric")
            #expect((order == .equal) == (a == b))
            for node in 0..<NodeID(20) {
                #expect(ab.counter(for: node) == max(a.counter(for: node), b.counter(for: node)))
            }
            let bytes = a.encoded()
            #expect(bytes.count == a.encodedSize)
            #expect(try C(decoding: bytes) == a, "encoding round-trips")
        }
        // The generator must reach every relation, or the laws above were not exercised.
        for order in CausalOrder.allCases { #expect(orders[order, default: 0] > 0, "no \(order) pair drawn") }
    }

    @Test func denseObeysTheLaws() throws { try Self.checkLaws(DenseClock.self, seed: 11) }
    @Test func sparseObeysTheLaws() throws { try Self.checkLaws(SparseClock.self, seed: 12) }
    @Test func dictionaryObeysTheLaws() throws { try Self.checkLaws(DictionaryClock.self, seed: 13) }

    /// One replica per node; each step a replica either records a write or
    /// receives another replica's clock. The three representations must hold
    /// the same counters and answer every comparison alike at every step.
    @Test func allVariantsAgreeOnTheSameHistories() {
        for seed in 1...5 as ClosedRange<UInt64> {
            var rng = Xoshiro256StarStar(seed: seed)
            let replicas = 7
            let node = { (r: Int) in NodeID(r * 5 + 1) }
            var dense = Array(repeating: DenseClock(), count: replicas)
            var sparse = Array(repeating: SparseClock(), count: replicas)
            var dictionary = Array(repeating: DictionaryClock(), count: replicas)
            for _ in 0..<300 {
                let r = Int(rng.next() % UInt64(replicas))
                if rng.next() % 3 == 0 {
                    dense[r].increment(node(r)); sparse[r].increment(node(r)); dictionary[r].increment(node(r))
                } else {
                    let s = Int(rng.next() % UInt64(replicas))
                    dense[r].merge(dense[s]); sparse[r].merge(sparse[s]); dictionary[r].merge(dictionary[s])
                }
                let expected = sparse[r].entries.map { "\($0.node):\($0.counter)" }
                #expect(dense[r].entries.map { "\($0.node):\($0.counter)" } == expected)
                #expect(dictionary[r].entries.map { "\($0.node):\($0.counter)" } == expected)
                for s in 0..<replicas {
                    let order = sparse[r].compare(sparse[s])
                    #expect(dense[r].compare(dense[s]) == order)
                    #expect(dictionary[r].compare(dictionary[s]) == order)
                }
            }
        }
    }

    /// Two writes at different replicas are concurrent; a replica that has
    /// seen both and writes again is after each.
    @Test func concurrentWritesAndACausalSuccessor() {
        var a = DenseClock(), b = DenseClock()
        a.increment(0)
        b.increment(1)
        #expect(a.compare(b) == .concurrent)
        var c = a.merged(b)
        c.increment(2)
        #expect(a.compare(c) == .before && c.compare(b) == .after)
        #expect(!a.dominates(b) && !b.dominates(a))
    }

    /// Merging into a clock that already has room for the union keeps its
    /// storage: no allocation (the benchmark target counts mallocs; this
    /// checks the buffer identity).
    @Test func mergeIntoExistingStorageDoesNotReallocate() {
        var rng = Xoshiro256StarStar(seed: 3)
        let other = DenseClock(counters: (0..<512).map { _ in rng.next() % 100 })
        var dense = DenseClock(capacity: 512)
        dense.increment(3)
        let before = dense.counters.withUnsafeBufferPointer { $0.baseAddress }
        dense.merge(other)
        #expect(dense.counters.withUnsafeBufferPointer { $0.baseAddress } == before)

        let left = SparseClock(entries: entries((0..<256).map { (NodeID($0 * 2), UInt64($0 + 1)) }))
        let right = SparseClock(entries: entries((0..<256).map { (NodeID($0 * 3), UInt64(300 - $0)) }))
        var sparse = SparseClock(capacity: 600)
        sparse.assign(left)
        let nodesBefore = sparse.nodes.withUnsafeBufferPointer { $0.baseAddress }
        sparse.merge(right)
        #expect(sparse.nodes.withUnsafeBufferPointer { $0.baseAddress } == nodesBefore)
        #expect(sparse == SparseClock(entries: DenseClock(entries: left.entries).merged(DenseClock(entries: right.entries)).entries))
    }
}
