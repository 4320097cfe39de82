import CJump
import CMaglev
import Foundation
import HashRing
import Hashing
import Stats

// `ring-peers` (run by `make peers`): each Swift variant against a compiled C
// peer on the same key stream, measured interleaved in one process, written
// to results/ring-peers.csv with the ratio Swift/peer.
//
// Peers: libmemcached's weighted ketama (loaded at run time from Debian's
// libmemcached11, so the package builds without it), a C build of the Jump
// reference (Sources/CJump) and CAPLab's own C Maglev (Sources/CMaglev).
// Each peer's loop runs entirely in C except libmemcached's, called once per
// key through a function pointer (as an application calls it).

struct Options {
    var out = "results/ring-peers.csv"
    var seed: UInt64 = 1
    var quick = false
}

func parseOptions() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst()
    while let argument = arguments.popFirst() {
        switch argument {
        case "--out": options.out = arguments.popFirst() ?? options.out
        case "--seed": options.seed = arguments.popFirst().flatMap { UInt64($0) } ?? options.seed
        case "--quick": options.quick = true
        default:
            FileHandle.standardError.write(Data("ring-peers: unknown argument '\(argument)'; expected --out FILE, --seed N, --quick\n".utf8))
            exit(2)
        }
    }
    return options
}

/// libmemcached's entry points, looked up with dlopen.
struct Libmemcached {
    typealias Create = @convention(c) (OpaquePointer?) -> OpaquePointer?
    typealias BehaviorSet = @convention(c) (OpaquePointer?, Int32, UInt64) -> Int32
    typealias AddWithWeight = @convention(c) (OpaquePointer?, UnsafePointer<CChar>, UInt16, UInt32) -> Int32
    typealias GenerateHash = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int) -> UInt32
    typealias Free = @convention(c) (OpaquePointer?) -> Void
    /// `MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED` in libmemcached-1.0/types/behavior.h.
    static let ketamaWeighted: Int32 = 16

    let create: Create, behaviorSet: BehaviorSet, add: AddWithWeight, generateHash: GenerateHash, free: Free

    init?() {
        guard let handle = dlopen("libmemcached.so.11", RTLD_NOW) ?? dlopen("libmemcached.so", RTLD_NOW) else { return nil }
        func symbol<T>(_ name: String, _: T.Type) -> T? { dlsym(handle, name).map { unsafeBitCast($0, to: T.self) } }
        guard let create = symbol("memcached_create", Create.self),
              let behaviorSet = symbol("memcached_behavior_set", BehaviorSet.self),
              let add = symbol("memcached_server_add_with_weight", AddWithWeight.self),
              let generateHash = symbol("memcached_generate_hash", GenerateHash.self),
              let free = symbol("memcached_free", Free.self) else { return nil }
        (self.create, self.behaviorSet, self.add, self.generateHash, self.free) = (create, behaviorSet, add, generateHash, free)
    }
}

/// Keys as one byte buffer with offsets, shared by Swift and C.
struct KeyBytes {
    var bytes: [UInt8] = []
    var starts: [Int] = []
    init(_ keys: [String]) {
        for key in keys { starts.append(bytes.count); bytes += Array(key.utf8) }
        starts.append(bytes.count)
    }
    var count: Int { starts.count - 1 }
}

func measure(_ batch: () -> Int, operations: Int) -> Double {
    let start = monotonicNanoseconds()
    let checksum = batch()
    let elapsed = monotonicNanoseconds() &- start
    blackHole(checksum)
    return Double(elapsed) / Double(operations)
}

@inline(never)
func swiftSelect<R: ConsistentHash>(_ ring: R, _ hashes: UnsafeBufferPointer<UInt64>) -> Int {
    var sum = 0
    for hash in hashes { sum &+= ring.node(forKeyHash: hash) }
    return sum
}

@inline(never)
func swiftKetama(_ ring: Ketama, _ keys: KeyBytes) -> Int {
    var sum = 0
    keys.bytes.withUnsafeBytes { raw in
        for i in 0..<keys.count {
            sum &+= ring.node(forKeyBytes: UnsafeRawBufferPointer(rebasing: raw[keys.starts[i]..<keys.starts[i + 1]]))
        }
    }
    return sum
}

@inline(never)
func peerKetama(_ lib: Libmemcached, _ memc: OpaquePointer?, _ keys: KeyBytes) -> Int {
    var sum = 0
    keys.bytes.withUnsafeBytes { raw in
        let base = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
        for i in 0..<keys.count {
            sum &+= Int(lib.generateHash(memc, base + keys.starts[i], keys.starts[i + 1] - keys.starts[i]))
        }
    }
    return sum
}

struct Row {
    let algorithm: String, nodes: Int, keys: Int, samples: Int, peer: String
    let swift: Summary, peerTimes: Summary, agree: Bool
}

func interleave(samples: Int, _ a: () -> Double, _ b: () -> Double) -> (Summary, Summary) {
    _ = a(); _ = b()  // warm-up
    var x: [Double] = [], y: [Double] = []
    for round in 0..<samples {
        if round % 2 == 0 { x.append(a()); y.append(b()) } else { y.append(b()); x.append(a()) }
    }
    return (Summary(x), Summary(y))
}

let options = parseOptions()
let startedAt = Date()
let nodeCounts = options.quick ? [10, 100] : [10, 100, 1_000, 10_000]
let samples = options.quick ? 5 : 11
let keyCount = options.quick ? 1 << 14 : 1 << 18
var rng = Xoshiro256StarStar(seed: options.seed)
let rawKeys = (0..<keyCount).map { _ in rng.next() }
let hashes = rawKeys.map { XXHash64.hash($0) }
let stringKeys = KeyBytes(rawKeys.map { "key-" + String($0, radix: 16) })
let libmemcached = Libmemcached()
if libmemcached == nil {
    FileHandle.standardError.write(Data("ring-peers: libmemcached.so.11 not found (apt-get install libmemcached-dev); skipping the ketama peer\n".utf8))
}
var rows: [Row] = []

for n in nodeCounts {
    let names = (0..<n).map { "node-\($0)" }
    FileHandle.standardError.write(Data("ring-peers: \(n) nodes\n".utf8))
    hashes.withUnsafeBufferPointer { hashes in
        // Jump: Swift against the C reference.
        let jump = JumpHash(nodeCount: n)
        let jumpAgree = (0..<1_000).allSatisfy { jump.node(forKeyHash: hashes[$0]) == Int(cjump_hash(hashes[$0], Int32(n))) }
        let (sj, cj) = interleave(samples: samples,
            { measure({ swiftSelect(jump, hashes) }, operations: hashes.count) },
            { measure({ Int(cjump_lookup_all(hashes.baseAddress, hashes.count, Int32(n))) }, operations: hashes.count) })
        rows.append(Row(algorithm: "jump", nodes: n, keys: hashes.count, samples: samples, peer: "c-jump-reference",
                        swift: sj, peerTimes: cj, agree: jumpAgree))

        // Maglev: Swift against CAPLab's C Maglev built from the same permutations.
        let m = Maglev.tableSize(forNodes: n)
        let maglev = Maglev(nodes: names, tableSize: m)
        let perms = names.map { Maglev.permutation(for: $0, tableSize: m) }
        let offsets = perms.map { UInt32($0.offset) }, skips = perms.map { UInt32($0.skip) }
        var table = [UInt32](repeating: 0, count: m)
        cmaglev_populate(offsets, skips, n, UInt32(m), &table)
        let maglevAgree = table.map(Int.init) == maglev.slots
        let (sm, cm) = table.withUnsafeBufferPointer { table in
            interleave(samples: samples,
                { measure({ swiftSelect(maglev, hashes) }, operations: hashes.count) },
                { measure({ Int(cmaglev_lookup_all(table.baseAddress, UInt32(m), hashes.baseAddress, hashes.count)) }, operations: hashes.count) })
        }
        rows.append(Row(algorithm: "maglev", nodes: n, keys: hashes.count, samples: samples, peer: "c-maglev-caplab",
                        swift: sm, peerTimes: cm, agree: maglevAgree))
    }

    // Ketama: Swift (MD5 via swift-crypto + search) against libmemcached (its MD5 + search), string keys.
    // libmemcached 1.1 asserts servers × 100 ≤ MEMCACHED_CONTINUUM_SIZE (10 000): at most 100 servers.
    if let lib = libmemcached, n <= 100 {
        let servers = names.enumerated().map { Ketama.Server(host: $0.element, port: 11211, weight: $0.offset % 3 + 1) }
        let ketama = Ketama(servers: servers)
        let memc = lib.create(nil)
        _ = lib.behaviorSet(memc, Libmemcached.ketamaWeighted, 1)
        for server in servers { _ = lib.add(memc, server.host, UInt16(server.port), UInt32(server.weight)) }
        let agree = stringKeys.bytes.withUnsafeBytes { raw in
            (0..<stringKeys.count).allSatisfy { i in
                let slice = UnsafeRawBufferPointer(rebasing: raw[stringKeys.starts[i]..<stringKeys.starts[i + 1]])
                return ketama.node(forKeyBytes: slice)
                    == Int(lib.generateHash(memc, slice.baseAddress!.assumingMemoryBound(to: CChar.self), slice.count))
            }
        }
        let (sk, ck) = interleave(samples: samples,
            { measure({ swiftKetama(ketama, stringKeys) }, operations: stringKeys.count) },
            { measure({ peerKetama(lib, memc, stringKeys) }, operations: stringKeys.count) })
        lib.free(memc)
        rows.append(Row(algorithm: "ketama", nodes: n, keys: stringKeys.count, samples: samples, peer: "libmemcached",
                        swift: sk, peerTimes: ck, agree: agree))
    }
}

func fixed(_ x: Double) -> String { String(format: "%.3f", x) }
var csv = "algorithm,nodes,keys,samples,peer,swift_ns_median,swift_ns_min,swift_ns_max,peer_ns_median,peer_ns_min,peer_ns_max,swift_over_peer,same_mapping\n"
for r in rows {
    csv += [r.algorithm, String(r.nodes), String(r.keys), String(r.samples), r.peer,
            fixed(r.swift.median), fixed(r.swift.min), fixed(r.swift.max),
            fixed(r.peerTimes.median), fixed(r.peerTimes.min), fixed(r.peerTimes.max),
            fixed(r.swift.median / r.peerTimes.median), r.agree ? "yes" : "no"].joined(separator: ",") + "\n"
}
do {
    try csv.write(toFile: options.out, atomically: true, encoding: .utf8)
    try writeRunMeta(csvPath: options.out, seed: options.seed, quick: options.quick,
                     grid: ["algorithm": ["jump", "maglev", "ketama"], "nodes": nodeCounts.map(String.init),
                            "keys": [String(keyCount)], "samples": [String(samples)]],
                     rows: rows.count, seconds: Date().timeIntervalSince(startedAt))
} catch {
    FileHandle.standardError.write(Data("ring-peers: cannot write '\(options.out)': \(error)\n".utf8))
    exit(1)
}
print(csv, terminator: "")
