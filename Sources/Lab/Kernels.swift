import HashRing
import Hashing
import Stats

/// The curated list of kernels the regression gate counts instructions
/// for. Adding a kernel is one line here; give it a baseline with
/// `make bench-baseline`.
public enum Kernels {
    public static let all: [Kernel] = [
        Kernel("hash/xxh64-u64", "xxHash64 of one 64-bit key") { RingKernels.hashKeys($0) },
        Kernel("ring/token-ring-v160-n1000/lookup", "token ring lookup, 1 000 nodes × 160 vnodes") { RingKernels.lookup(RingKernels.tokenRing(nodes: 1_000, virtualNodes: 160), $0) },
        Kernel("ring/token-ring-v16-n100/lookup", "token ring lookup, 100 nodes × 16 vnodes") { RingKernels.lookup(RingKernels.tokenRing(nodes: 100, virtualNodes: 16), $0) },
        Kernel("ring/jump-n1000/lookup", "jump consistent hash lookup, 1 000 nodes") { RingKernels.lookup(JumpHash(nodeCount: 1_000), $0) },
    ]

    public static func named(_ name: String) -> Kernel? { all.first { $0.name == name } }
}

/// Kernel bodies for the ring area.
enum RingKernels {
    /// Keys drawn once from a fixed seed; the loop cycles through them.
    static let keys: [UInt64] = {
        var rng = Xoshiro256StarStar(seed: 0x6B65_726E_656C)
        return (0..<4_096).map { _ in rng.next() }
    }()

    static func tokenRing(nodes: Int, virtualNodes: Int) -> TokenRing {
        TokenRing(nodes: (0..<nodes).map { "node-\($0)" }, virtualNodes: virtualNodes)
    }

    @inline(never)
    static func lookup<R: ConsistentHash>(_ ring: R, _ iterations: Int) -> Int {
        let mask = keys.count - 1
        var checksum = 0
        keys.withUnsafeBufferPointer { keys in
            for i in 0..<iterations { checksum &+= ring.node(for: keys[i & mask]) }
        }
        return checksum
    }

    @inline(never)
    static func hashKeys(_ iterations: Int) -> Int {
        let mask = keys.count - 1
        var checksum: UInt64 = 0
        keys.withUnsafeBufferPointer { keys in
            for i in 0..<iterations { checksum ^= XXHash64.hash(keys[i & mask]) }
        }
        return Int(truncatingIfNeeded: checksum)
    }
}
