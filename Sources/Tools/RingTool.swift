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
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
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

    /// Reads a key file: one key per line.
    public static func readKeys(path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, line: nil, message: "cannot read the key file")
        }
        return parseKeys(String(decoding: data, as: UTF8.self))
    }

    /// Keys, one per line (blank lines skipped; a trailing `\r` dropped).
    public static func parseKeys(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }.filter { !$0.isEmpty }
    }

    /// A placement over a server list that maps string keys to server indices.
    /// Ketama hashes keys with MD5 exactly as libmemcached does; the other
    /// algorithms hash the key's UTF-8 bytes with xxHash64 (seed 0). Weights
    /// are honoured by ketama and rendezvous and ignored by the others.
    public struct Mapper {
        let lookup: (String) -> Int

        public func server(for key: String) -> Int { lookup(key) }
    }

    /// Whether `algorithm` honours server weights.
    public static func honoursWeights(_ algorithm: String) -> Bool { algorithm == "ketama" || algorithm == "rendezvous" }

    public static func mapper(algorithm: String, servers: [Server]) throws -> Mapper {
        let names = servers.map(\.name)
        func hashed<R: ConsistentHash>(_ ring: R) -> Mapper {
            Mapper { ring.node(forKeyHash: XXHash64.hash($0)) }
        }
        switch algorithm {
        case "ketama":
            let ring = Ketama(servers: servers.map { Ketama.Server(host: $0.host, port: $0.port, weight: $0.weight) })
            return Mapper { ring.node(forKey: $0) }
        case "token-ring": return hashed(TokenRing(nodes: names, virtualNodes: 160))
        case "jump": return hashed(JumpHash(nodeCount: servers.count))
        case "rendezvous": return hashed(Rendezvous(nodes: names, weights: servers.map { Double($0.weight) }))
        case "maglev": return hashed(Maglev(nodes: names, tableSize: Maglev.tableSize(forNodes: servers.count)))
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

    /// Keys that change server from `before` to `after`, compared by server name.
    /// AnchorHash changes in place, as it would in service: an anchor over
    /// both lists starts with `before` working, removes the servers `after`
    /// drops and adds the ones it brings. Every other algorithm is rebuilt
    /// from the `after` list.
    public static func movement(algorithm: String, before: [Server], after: [Server], keys: [String]) throws -> Movement {
        var old: [String], new: [String]
        if algorithm == "anchor" {
            let union = before.map(\.name) + after.map(\.name).filter { name in !before.contains { $0.name == name } }
            var anchor = AnchorHash(capacity: union.count, working: before.count)
            let hashes = keys.map { XXHash64.hash($0) }
            old = hashes.map { union[anchor.node(forKeyHash: $0)] }
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
            new = hashes.map { union[anchor.node(forKeyHash: $0)] }
        } else {
            let m0 = try mapper(algorithm: algorithm, servers: before), m1 = try mapper(algorithm: algorithm, servers: after)
            old = keys.map { before[m0.server(for: $0)].name }
            new = keys.map { after[m1.server(for: $0)].name }
        }
        let moved = zip(old, new).reduce(0) { $0 + ($1.0 != $1.1 ? 1 : 0) }
        return Movement(keys: keys.count, moved: moved, idealFraction: idealFraction(algorithm: algorithm, before: before, after: after))
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
        var rng = Xoshiro256StarStar(seed: seed)
        return (0..<count).map { _ in "key-" + String(rng.next(), radix: 16) }
    }
}
