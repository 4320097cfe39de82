import Foundation

extension RingTool {
    /// What a ring subcommand prints: its output, and a note for stderr when
    /// the algorithm ignores the servers' weights.
    public struct Output: Sendable, Equatable {
        public let text: String
        public let note: String?
    }

    /// `caplab ring map`: `key,server` for each key, from `keysPath` or, when nil, from `standardInput`.
    public static func map(algorithm: String, serversPath: String, keysPath: String?, standardInput: () -> String) throws -> Output {
        let servers = try readServers(path: serversPath)
        let mapper = try mapper(algorithm: algorithm, servers: servers)
        let keys = try keysPath.map { try readKeys(path: $0) } ?? parseKeys(standardInput())
        var text = ""
        for key in keys { text += "\(key),\(servers[mapper.server(for: key)].name)\n" }
        return Output(text: text, note: weightsNote(algorithm, servers))
    }

    /// `caplab ring move`: how many keys (from `keyFile`, or `sampled` seeded
    /// ones) change server between two server files, against the ideal, as one CSV row.
    public static func move(algorithm: String, beforePath: String, afterPath: String, keyFile: String?, sampled: Int, seed: UInt64) throws -> Output {
        let before = try readServers(path: beforePath), after = try readServers(path: afterPath)
        let keys = try keyFile.map { try readKeys(path: $0) } ?? sampleKeys(count: sampled, seed: seed)
        let m = try movement(algorithm: algorithm, before: before, after: after, keys: keys)
        let ratio = m.idealFraction > 0 ? String(format: "%.3f", m.movedFraction / m.idealFraction) : "n/a"
        let text = "algorithm,keys,moved,moved_fraction,ideal_fraction,moved_over_ideal\n"
            + "\(algorithm),\(m.keys),\(m.moved),\(String(format: "%.5f", m.movedFraction)),\(String(format: "%.5f", m.idealFraction)),\(ratio)\n"
        return Output(text: text, note: weightsNote(algorithm, before + after))
    }

    static func weightsNote(_ algorithm: String, _ servers: [Server]) -> String? {
        !honoursWeights(algorithm) && servers.contains { $0.weight != 1 } ? "\(algorithm) ignores server weights" : nil
    }
}
