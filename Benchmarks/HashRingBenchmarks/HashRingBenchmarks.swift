import Benchmark
import BenchmarkSupport
import HashRing
import Hashing
import Foundation
import struct Stats.Xoshiro256StarStar

/// Ring lookup at 100 and 10 000 nodes for every variant: one iteration is
/// one lookup (key hash + node selection) over keys drawn before the loop.
/// The malloc threshold is absolute zero: a lookup must never allocate.
/// Names have no spaces: package-benchmark 1.38.1 writes static threshold
/// files with spaces replaced by `_` but looks them up with the spaces.
let benchmarks: @Sendable () -> Void = {
    let configuration = LabBenchmark.configuration(mallocsPerIteration: 0)
    // swift-crypto's Insecure.MD5 boxes its context: one malloc per key hashed.
    let md5Configuration = LabBenchmark.configuration(mallocsPerIteration: 1)

    var rng = Xoshiro256StarStar(seed: 2014)
    let keys = (0..<4096).map { _ in rng.next() }
    // 24-byte string keys (`key-` and 20 zero-padded decimal digits) for the MD5 path.
    let stringKeyCount = 4096
    let stringKeys: [UInt8] = (0..<stringKeyCount).flatMap { _ -> [UInt8] in
        let digits = String(rng.next())
        return Array(("key-" + String(repeating: "0", count: 20 - digits.count) + digits).utf8)
    }

    for nodeCount in [100, 10_000] {
        let names = (0..<nodeCount).map { "node-\($0)" }
        let ring = TokenRing(nodes: names, virtualNodes: 160)
        Benchmark("TokenRing-v160-lookup-n\(nodeCount)", configuration: configuration) { benchmark in
            lookups(ring, keys, benchmark)
        }
        let jump = JumpHash(nodeCount: nodeCount)
        Benchmark("Jump-lookup-n\(nodeCount)", configuration: configuration) { benchmark in
            lookups(jump, keys, benchmark)
        }
        let ketama = Ketama(servers: names.map { Ketama.Server(host: $0) })
        Benchmark("Ketama-lookup-n\(nodeCount)", configuration: configuration) { benchmark in
            lookups(ketama, keys, benchmark)
        }
        // libmemcached's path: MD5 of the key bytes, then the continuum search. swift-crypto's
        // Insecure.MD5 boxes its BoringSSL context on Linux: exactly one malloc per key, no more.
        Benchmark("Ketama-MD5-key-lookup-n\(nodeCount)", configuration: md5Configuration) { benchmark in
            stringKeys.withUnsafeBytes { raw in
                var i = 0
                for _ in benchmark.scaledIterations {
                    let k = i & (stringKeyCount - 1)
                    blackHole(ketama.node(forKeyBytes: UnsafeRawBufferPointer(rebasing: raw[(k * 24)..<(k * 24 + 24)])))
                    i &+= 1
                }
            }
        }
        let rendezvous = Rendezvous(nodes: names)
        Benchmark("Rendezvous-lookup-n\(nodeCount)", configuration: configuration) { benchmark in
            lookups(rendezvous, keys, benchmark)
        }
        let maglev = Maglev(nodes: names, tableSize: Maglev.tableSize(forNodes: nodeCount))
        Benchmark("Maglev-lookup-n\(nodeCount)", configuration: configuration) { benchmark in
            lookups(maglev, keys, benchmark)
        }
        let multiProbe = MultiProbe(nodes: names)
        Benchmark("MultiProbe-k21-lookup-n\(nodeCount)", configuration: configuration) { benchmark in
            lookups(multiProbe, keys, benchmark)
        }
        // Where a new key would go given the loads that placing 8 keys per node left.
        var bounded = BoundedLoadHash(nodes: names, virtualNodes: 16, epsilon: 0.25)
        var fill = Xoshiro256StarStar(seed: 7)
        for _ in 0..<(8 * nodeCount) { bounded.place(keyHash: fill.next()) }
        let loaded = bounded
        Benchmark("BoundedLoad-eps0.25-lookup-n\(nodeCount)", configuration: configuration) { benchmark in
            lookups(loaded, keys, benchmark)
        }
        let anchor = AnchorHash(capacity: 2 * nodeCount, working: nodeCount)
        Benchmark("Anchor-capacity2n-lookup-n\(nodeCount)", configuration: configuration) { benchmark in
            lookups(anchor, keys, benchmark)
        }
    }
}

@inline(__always)
func lookups<R: ConsistentHash>(_ ring: R, _ keys: [UInt64], _ benchmark: Benchmark) {
    let mask = keys.count - 1
    var i = 0
    for _ in benchmark.scaledIterations {
        blackHole(ring.node(for: keys[i & mask]))
        i &+= 1
    }
}

