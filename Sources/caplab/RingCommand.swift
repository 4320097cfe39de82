import ArgumentParser
import Foundation
import Lab
import Tools

/// `caplab ring`: what-if questions about a cache's key placement.
struct RingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ring",
        abstract: "Map keys to servers, or count the keys a server-list change moves.",
        discussion: """
            Server files hold one `host:port [weight]` per line; `#` starts a comment. \
            Algorithms: \(RingTool.algorithms.joined(separator: ", ")). ketama gives exactly \
            libmemcached's weighted-ketama mapping; ketama and rendezvous honour weights.
            """,
        subcommands: [RingMapCommand.self, RingMoveCommand.self])
}

/// Runs a ring subcommand, turning bad input into a message on stderr and exit status 1.
func reportingInputErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as RingTool.InputError {
        FileHandle.standardError.write(Data("caplab: error: \(error.description)\n".utf8))
        throw ExitCode.failure
    }
}

struct RingMapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Print `key,server` for each key (from --keys FILE, or one per line on stdin).")

    @Option(name: .long, help: "Placement algorithm (\(RingTool.algorithms.joined(separator: ", "))).")
    var algorithm: String

    @Option(name: .long, help: "Server file: one `host:port [weight]` per line.")
    var servers: String

    @Option(name: .long, help: "Key file, one key per line (default: stdin).")
    var keys: String?

    func run() throws {
        try reportingInputErrors {
            let list = try RingTool.readServers(path: servers)
            let mapper = try RingTool.mapper(algorithm: algorithm, servers: list)
            warnIfWeightsIgnored(algorithm, list)
            let all = try keys.map { try RingTool.readKeys(path: $0) }
                ?? RingTool.parseKeys(String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self))
            var out = ""
            for key in all {
                out += "\(key),\(list[mapper.server(for: key)].name)\n"
                if out.utf8.count > 1 << 16 { FileHandle.standardOutput.write(Data(out.utf8)); out = "" }
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        }
    }
}

struct RingMoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Count the keys that change server between two server lists, against the ideal.")

    @Option(name: .long, help: "Placement algorithm (\(RingTool.algorithms.joined(separator: ", "))).")
    var algorithm: String

    @Option(name: .long, help: "Server file before the change.")
    var before: String

    @Option(name: .long, help: "Server file after the change.")
    var after: String

    @Option(name: .long, help: "Number of sampled keys.")
    var keys: Int = 100_000

    @Option(name: .long, help: "Use the keys in this file (one per line) instead of sampled keys.")
    var keyFile: String?

    @Option(name: .long, help: "Seed of the sampled keys.")
    var seed: UInt64 = 1

    func validate() throws {
        if keys < 1 { throw ValidationError("--keys must be at least 1") }
    }

    func run() throws {
        try reportingInputErrors {
            let old = try RingTool.readServers(path: before), new = try RingTool.readServers(path: after)
            warnIfWeightsIgnored(algorithm, old + new)
            let sample = try keyFile.map { try RingTool.readKeys(path: $0) } ?? RingTool.sampleKeys(count: keys, seed: seed)
            let m = try RingTool.movement(algorithm: algorithm, before: old, after: new, keys: sample)
            print("algorithm,keys,moved,moved_fraction,ideal_fraction,moved_over_ideal")
            let ratio = m.idealFraction > 0 ? String(format: "%.3f", m.movedFraction / m.idealFraction) : "n/a"
            print("\(algorithm),\(m.keys),\(m.moved),\(String(format: "%.5f", m.movedFraction)),\(String(format: "%.5f", m.idealFraction)),\(ratio)")
        }
    }
}

func warnIfWeightsIgnored(_ algorithm: String, _ servers: [RingTool.Server]) {
    if !RingTool.honoursWeights(algorithm), servers.contains(where: { $0.weight != 1 }) {
        FileHandle.standardError.write(Data("caplab: note: \(algorithm) ignores server weights\n".utf8))
    }
}
