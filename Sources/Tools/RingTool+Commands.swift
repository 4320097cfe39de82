import Foundation

extension RingTool {
    /// What a ring subcommand prints: its output, and a note for stderr when
    /// the algorithm ignores the servers' weights.
    public struct Output: Sendable, Equatable {
        /// What goes to stdout, byte for byte (keys are not re-encoded).
        public let bytes: Data
        public let note: String?

        public init(bytes: Data, note: String?) {
            self.bytes = bytes
            self.note = note
        }

        public init(text: String, note: String?) { self.init(bytes: Data(text.utf8), note: note) }

        /// The output as text (invalid UTF-8 shown as U+FFFD).
        public var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// `caplab ring map`: `key,server` for each key, from `keysPath` or, when nil, from `standardInput`.
    /// Keys are raw bytes and are written back as they were read.
    public static func map(algorithm: String, serversPath: String, keysPath: String?, standardInput: () -> Data) throws -> Output {
        let servers = try readServers(path: serversPath)
        let mapper = try mapper(algorithm: algorithm, servers: servers)
        let keys = try keysPath.map { try readKeys(path: $0) } ?? parseKeys(standardInput())
        var bytes = Data()
        for key in keys {
            bytes.append(contentsOf: key)
            bytes.append(contentsOf: Array(",\(servers[mapper.server(for: key)].name)\n".utf8))
        }
        return Output(bytes: bytes, note: weightsNote(algorithm, servers))
    }

    /// `caplab ring move`: how many keys (from `keyFile`, or `sampled` seeded
    /// ones) change server between two server files, against the ideal, as one CSV row.
    public static func move(algorithm: String, beforePath: String, afterPath: String, keyFile: String?, sampled: Int, seed: UInt64) throws -> Output {
        guard (1...maxSampledKeys).contains(sampled) else {
            throw InputError(file: "--keys", line: nil, message: "expected 1 to \(maxSampledKeys) sampled keys, got \(sampled)")
        }
        let before = try readServers(path: beforePath), after = try readServers(path: afterPath)
        let m: Movement
        if let keyFile {
            m = try movement(algorithm: algorithm, before: before, after: after, keys: try readKeys(path: keyFile))
        } else {
            m = try movement(algorithm: algorithm, before: before, after: after, keyCount: sampled) {
                forEachSampledKey(count: sampled, seed: seed, $0)
            }
        }
        let ratio = m.idealFraction > 0 ? String(format: "%.3f", m.movedFraction / m.idealFraction) : "n/a"
        let text = "algorithm,keys,moved,moved_fraction,ideal_fraction,moved_over_ideal\n"
            + "\(algorithm),\(m.keys),\(m.moved),\(String(format: "%.5f", m.movedFraction)),\(String(format: "%.5f", m.idealFraction)),\(ratio)\n"
        var notes = [weightsNote(algorithm, before + after)].compactMap { $0 }
        if algorithm == "maglev" {
            notes.append("maglev keeps one lookup table of \(maglevTableSize(before: before, after: after)) slots (sized for the larger list) before and after the change, as a deployment does")
        }
        return Output(text: text, note: notes.isEmpty ? nil : notes.joined(separator: "; "))
    }

    static func weightsNote(_ algorithm: String, _ servers: [Server]) -> String? {
        !honoursWeights(algorithm) && servers.contains { $0.weight != 1 } ? "\(algorithm) ignores server weights" : nil
    }
}
