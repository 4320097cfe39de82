import Foundation
import HashRing
import Hashing
import Lab
import Stats

/// What `caplab ring map` and `caplab ring move` compute: server lists read
/// from files, a placement built over them, and keys mapped to servers.
public enum RingTool {
    /// One server line: `host:port [weight]`.
    public struct Server: Sendable, Equatable {
        public let host: String
        public let port: Int
        public let weight: Int
        /// Line of the file it came from (1-based).
        public let line: Int

        public var name: String { "\(host):\(port)" }
    }

    /// A server file or key file that cannot be used, with where and why.
    public struct InputError: Error, CustomStringConvertible, Equatable {
        public let file: String
        public let line: Int?
        public let message: String

        public init(file: String, line: Int?, message: String) {
            self.file = file
            self.line = line
            self.message = message
        }

        /// The file could not be read at all (exit 74 rather than 65).
        public var isUnreadable: Bool { line == nil && message.hasPrefix("cannot read") }

        public var description: String {
            if let line { return "\(file):\(line): \(message)" }
            return "\(file): \(message)"
        }
    }

    /// The algorithms the tool can build, by their CSV names.
    public static let algorithms = ["ketama", "token-ring", "jump", "rendezvous", "maglev", "multi-probe", "anchor"]

    /// Parses a server list: one `host:port [weight]` per line; `#` starts a
    /// comment; blank lines are skipped. Weight is a positive integer, 1 when absent.
    /// - Throws: ``InputError`` naming the line for a missing or bad port, a
    ///   bad weight, extra fields or a duplicate server; naming the file for an empty list.
    public static func parseServers(_ text: String, file: String) throws -> [Server] {
        var servers: [Server] = []
        var firstLine: [String: Int] = [:]
        for (index, raw) in TextLines.lines(text).enumerated() {
            let line = index + 1
            let content = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            func fail(_ message: String) -> InputError { InputError(file: file, line: line, message: message) }
            guard fields.count <= 2 else {
                throw fail("expected `host:port [weight]`, found \(fields.count) fields: '\(content.trimmingCharacters(in: .whitespaces))'")
            }
            let address = fields[0]
            guard let colon = address.lastIndex(of: ":") else {
                throw fail("server '\(address)' has no port; expected host:port, e.g. \(address):11211")
            }
            var host = String(address[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            let portText = address[address.index(after: colon)...]
            guard !host.isEmpty else { throw fail("server '\(address)' has an empty host; expected host:port") }
            guard let port = Int(portText), (1...65_535).contains(port) else {
                throw fail("server '\(address)' has port '\(portText)'; expected an integer in 1...65535")
            }
            var weight = 1
            if fields.count == 2 {
                guard let w = Int(fields[1]), w >= 1 else {
                    throw fail("server '\(address)' has weight '\(fields[1])'; expected a positive integer")
                }
                weight = w
            }
            let server = Server(host: host, port: port, weight: weight, line: line)
            if let first = firstLine[server.name] {
                throw fail("duplicate server '\(server.name)' (first listed on line \(first))")
            }
            firstLine[server.name] = line
            servers.append(server)
        }
        if servers.isEmpty {
            throw InputError(file: file, line: nil, message: "no servers; expected one `host:port [weight]` per line")
        }
        return servers
    }

    /// Reads and parses a server file.
    public static func readServers(path: String) throws -> [Server] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, line: nil, message: "cannot read the server file")
        }
        return try parseServers(String(decoding: data, as: UTF8.self), file: path)
    }

    /// The most keys `caplab ring move` samples: its old and new placements
    /// are computed key by key (no key list is kept), so this bounds time
    /// (about a second per 10 million keys for the hashed algorithms), not memory.
    public static let maxSampledKeys = 100_000_000

    /// Reads a key file: one key per line, as raw bytes.
    public static func readKeys(path: String) throws -> [[UInt8]] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, line: nil, message: "cannot read the key file")
        }
        return parseKeys(data)
    }

    /// Keys, one per line (LF, CRLF or CR; blank lines skipped), as raw
    /// bytes: a key that is not UTF-8 is hashed as it is, never replaced by
    /// U+FFFD (which would map distinct binary keys together).
    public static func parseKeys(_ data: Data) -> [[UInt8]] {
        TextLines.byteLines(data).filter { !$0.isEmpty }.map { [UInt8]($0) }
    }

    /// Keys from text, one per line (for tests and callers holding a string).
    public static func parseKeys(_ text: String) -> [String] {
        TextLines.lines(text).filter { !$0.isEmpty }.map(String.init)
    }

    /// A placement over a server list that maps string keys to server indices.
    /// Ketama hashes keys with MD5 exactly as libmemcached does; the other
    /// algorithms hash the key's UTF-8 bytes with xxHash64 (seed 0). Weights
    /// are honoured by ketama and rendezvous and ignored by the others.
    public struct Mapper {
        let lookup: ([UInt8]) -> Int

        public func server(for key: [UInt8]) -> Int { lookup(key) }
        public func server(for key: String) -> Int { lookup(Array(key.utf8)) }
    }

    /// Whether `algorithm` honours server weights.
    public static func honoursWeights(_ algorithm: String) -> Bool { algorithm == "ketama" || algorithm == "rendezvous" }

    /// - Parameter maglevTableSize: the lookup table size Maglev uses (default:
    ///   ``Maglev/tableSize(forNodes:)`` of this list).
    public static func mapper(algorithm: String, servers: [Server], maglevTableSize: Int? = nil) throws -> Mapper {
        let names = servers.map(\.name)
        func hashed<R: ConsistentHash>(_ ring: R) -> Mapper {
            Mapper { ring.node(forKeyHash: XXHash64.hash($0)) }
        }
        switch algorithm {
        case "ketama":
            let ring = Ketama(servers: servers.map { Ketama.Server(host: $0.host, port: $0.port, weight: $0.weight) })
            return Mapper { key in key.withUnsafeBytes { ring.node(forKeyBytes: $0) } }
        case "token-ring": return hashed(TokenRing(nodes: names, virtualNodes: 160))
        case "jump": return hashed(JumpHash(nodeCount: servers.count))
        case "rendezvous": return hashed(Rendezvous(nodes: names, weights: servers.map { Double($0.weight) }))
        case "maglev": return hashed(Maglev(nodes: names, tableSize: maglevTableSize ?? Maglev.tableSize(forNodes: servers.count)))
        case "multi-probe": return hashed(MultiProbe(nodes: names))
        case "anchor": return hashed(AnchorHash(nodeCount: servers.count))
        default:
            throw InputError(file: "--algorithm", line: nil,
                             message: "unknown algorithm '\(algorithm)'; expected one of \(algorithms.joined(separator: ", "))")
        }
    }

    /// How many keys change server between two server lists.
    public struct Movement: Sendable, Equatable {
        public let keys: Int
        public let moved: Int
        /// The least fraction any placement meeting both lists' target shares must move:
        /// 1 − Σ over servers in both lists of min(share before, share after).
        public let idealFraction: Double

        public var movedFraction: Double { keys == 0 ? 0 : Double(moved) / Double(keys) }
    }

    /// The Maglev lookup table size `caplab ring move` keeps across a change:
    /// a deployment sizes its table once (M > 100·N, Eisenbud et al., NSDI
    /// 2016) and keeps it when a server joins or leaves — rebuilding with a
    /// new M reshuffles almost every key. Sized for the larger of the two lists.
    public static func maglevTableSize(before: [Server], after: [Server]) -> Int {
        Maglev.tableSize(forNodes: max(before.count, after.count))
    }

    /// Keys that change server from `before` to `after`, compared by server name.
    /// AnchorHash changes in place, as it would in service: an anchor over
    /// both lists starts with `before` working, removes the servers `after`
    /// drops and adds the ones it brings. Maglev keeps one table size
    /// (``maglevTableSize(before:after:)``) on both sides. Every other
    /// algorithm is rebuilt from the `after` list.
    public static func movement(algorithm: String, before: [Server], after: [Server], keys: [String]) throws -> Movement {
        try movement(algorithm: algorithm, before: before, after: after, keyCount: keys.count) { body in
            for key in keys { body(Array(key.utf8)) }
        }
    }

    /// As above, for raw-byte keys.
    public static func movement(algorithm: String, before: [Server], after: [Server], keys: [[UInt8]]) throws -> Movement {
        try movement(algorithm: algorithm, before: before, after: after, keyCount: keys.count) { body in
            for key in keys { body(key) }
        }
    }

    /// As above, over keys a generator hands out one at a time (O(1) memory
    /// for any number of keys).
    /// - Complexity: O(keys) lookups on each side.
    public static func movement(algorithm: String, before: [Server], after: [Server], keyCount: Int,
                                forEachKey: (([UInt8]) -> Void) -> Void) throws -> Movement {
        let oldLookup: ([UInt8]) -> String, newLookup: ([UInt8]) -> String
        if algorithm == "anchor" {
            let union = before.map(\.name) + after.map(\.name).filter { name in !before.contains { $0.name == name } }
            let initial = AnchorHash(capacity: union.count, working: before.count)
            var anchor = initial
            // Add the new servers first: a fresh anchor hands back its unused
            // buckets in ordinal order (before.count, before.count + 1, …),
            // which are the new servers' places in `union`. Removing first
            // would make the next add restore a removed server instead.
            let added = union.count - before.count
            for i in 0..<added {
                let bucket = anchor.addBucket()
                precondition(bucket == before.count + i, "AnchorHash returned bucket \(bucket) for new server \(i)")
            }
            let afterNames = Set(after.map(\.name))
            for (ordinal, server) in before.enumerated() where !afterNames.contains(server.name) {
                anchor.removeBucket(ordinal)
            }
            let changed = anchor
            oldLookup = { union[initial.node(forKeyHash: XXHash64.hash($0))] }
            newLookup = { union[changed.node(forKeyHash: XXHash64.hash($0))] }
        } else {
            let size = algorithm == "maglev" ? maglevTableSize(before: before, after: after) : nil
            let m0 = try mapper(algorithm: algorithm, servers: before, maglevTableSize: size)
            let m1 = try mapper(algorithm: algorithm, servers: after, maglevTableSize: size)
            oldLookup = { before[m0.server(for: $0)].name }
            newLookup = { after[m1.server(for: $0)].name }
        }
        var moved = 0
        forEachKey { key in if oldLookup(key) != newLookup(key) { moved += 1 } }
        return Movement(keys: keyCount, moved: moved, idealFraction: idealFraction(algorithm: algorithm, before: before, after: after))
    }

    static func idealFraction(algorithm: String, before: [Server], after: [Server]) -> Double {
        let weighted = honoursWeights(algorithm)
        func shares(_ servers: [Server]) -> [String: Double] {
            let total = weighted ? Double(servers.reduce(0) { $0 + $1.weight }) : Double(servers.count)
            return Dictionary(uniqueKeysWithValues: servers.map { ($0.name, (weighted ? Double($0.weight) : 1) / total) })
        }
        let b = shares(before), a = shares(after)
        return 1 - b.reduce(0.0) { sum, entry in sum + min(entry.value, a[entry.key] ?? 0) }
    }

    /// `count` sampled keys (`key-<64-bit hex>` from a seeded stream).
    public static func sampleKeys(count: Int, seed: UInt64) -> [String] {
        var keys: [String] = []
        forEachSampledKey(count: count, seed: seed) { keys.append(String(decoding: $0, as: UTF8.self)) }
        return keys
    }

    /// The keys of ``sampleKeys(count:seed:)``, one at a time.
    public static func forEachSampledKey(count: Int, seed: UInt64, _ body: ([UInt8]) -> Void) {
        var rng = Xoshiro256StarStar(seed: seed)
        for _ in 0..<count { body(Array(("key-" + String(rng.next(), radix: 16)).utf8)) }
    }
}
