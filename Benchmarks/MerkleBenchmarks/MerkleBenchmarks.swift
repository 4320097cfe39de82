import Benchmark
import BenchmarkSupport
import Foundation
import Merkle
import struct Stats.Xoshiro256StarStar

/// Merkle anti-entropy micro-benchmarks over 100 000 items on the Cassandra
/// preset (binary, depth 15): one XOR-tree leaf update (with xxHash64 it must not allocate),
/// one rebuilt-tree leaf update (re-hash leaf + path), a full root recompute
/// of the XOR tree's inner nodes, and a diff of two replicas 10 keys apart.
let benchmarks: @Sendable () -> Void = {
    func configuration(scaling: BenchmarkScalingFactor, zeroAllocation: Bool) -> Benchmark.Configuration {
        LabBenchmark.configuration(scaling: scaling, mallocsPerIteration: zeroAllocation ? 0 : nil)
    }

    var rng = Xoshiro256StarStar(seed: 2026)
    let shape = TreeShape.cassandra
    let items = (0..<100_000).map { _ in Item(key: rng.next(), version: rng.next()) }
    let updates = (0..<4096).map { _ in items[Int(rng.next() % UInt64(items.count))].key }

    // swift-crypto's SHA-256 on Linux allocates a hasher context per hash
    // (measured: 2 mallocs per update, one for h(old), one for h(new)), so
    // only the xxHash64 update carries the zero-allocation threshold.
    for hash in [XXH64Hash.name, SHA256Hash.name] {
        let zero = hash == XXH64Hash.name
        Benchmark("XOR-\(hash)-leaf-update-cassandra-2^15", configuration: configuration(scaling: .kilo, zeroAllocation: zero)) { benchmark in
            if hash == SHA256Hash.name {
                xorUpdates(XORMerkleTree<SHA256Hash>(shape: shape, items: items), updates, benchmark)
            } else {
                xorUpdates(XORMerkleTree<XXH64Hash>(shape: shape, items: items), updates, benchmark)
            }
        }
    }
    Benchmark("Rebuilt-sha256-leaf-update-cassandra-2^15", configuration: configuration(scaling: .kilo, zeroAllocation: false)) { benchmark in
        var tree = RebuiltMerkleTree<SHA256Hash>(shape: shape, items: items)
        benchmark.startMeasurement()
        var i = 0
        for _ in benchmark.scaledIterations {
            tree.set(key: updates[i & 4095], version: UInt64(i))
            i &+= 1
        }
        blackHole(tree.root)
    }
    Benchmark("XOR-root-recompute-cassandra-2^15", configuration: configuration(scaling: .one, zeroAllocation: false)) { benchmark in
        var tree = XORMerkleTree<XXH64Hash>(shape: shape, items: items)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            tree.recomputeInnerNodes()
            blackHole(tree.root)
        }
    }
    let store = LeafIndex(shape: shape, items: items)
    var other = items
    for j in 0..<10 { other[j].version &+= 1 }
    let otherStore = LeafIndex(shape: shape, items: other)
    let treeA = XORMerkleTree<XXH64Hash>(shape: shape, items: items)
    let treeB = XORMerkleTree<XXH64Hash>(shape: shape, items: other)
    Benchmark("Diff-d10-of-100k-cassandra-2^15-xor-xxh64", configuration: configuration(scaling: .one, zeroAllocation: false)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(MerkleDiff.run(initiator: (treeA, store), responder: (treeB, otherStore)))
        }
    }
}

/// One version update per iteration on keys drawn before the loop.
@inline(__always)
func xorUpdates<H: MerkleHashFunction>(_ tree: XORMerkleTree<H>, _ keys: [UInt64], _ benchmark: Benchmark) {
    var tree = tree
    // One update outside the measurement takes the copy-on-write copy of the storage.
    tree.update(key: keys[0], from: 0, to: 0)
    benchmark.startMeasurement()
    var i = 0
    for _ in benchmark.scaledIterations {
        tree.update(key: keys[i & 4095], from: UInt64(i), to: UInt64(i &+ 1))
        i &+= 1
    }
    blackHole(tree.root)
}
