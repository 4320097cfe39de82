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

/// Runs a ring subcommand and prints its output (and its note on stderr),
/// turning bad input into a message on stderr and exit status 65 (a file
/// that cannot be read: 74).
func reportingInputErrors(_ body: () throws -> RingTool.Output) throws {
    do {
        let output = try body()
        if let note = output.note { FileHandle.standardError.write(Data("caplab: note: \(note)\n".utf8)) }
        FileHandle.standardOutput.write(output.bytes)
    } catch let error as RingTool.InputError {
        FileHandle.standardError.write(Data("caplab: error: \(error.description)\n".utf8))
        throw ExitCode(error.isUnreadable ? ExitStatus.ioError.rawValue : ExitStatus.badInput.rawValue)
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
            try RingTool.map(algorithm: algorithm, serversPath: servers, keysPath: keys) {
                FileHandle.standardInput.readDataToEndOfFile()
            }
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

    @Option(name: .long, help: "Number of sampled keys (1 to \(RingTool.maxSampledKeys); they are streamed, not stored).")
    var keys: Int = 100_000

    @Option(name: .long, help: "Use the keys in this file (one per line) instead of sampled keys.")
    var keyFile: String?

    @Option(name: .long, help: "Seed of the sampled keys.")
    var seed: UInt64 = 1

    func validate() throws {
        if !(1...RingTool.maxSampledKeys).contains(keys) {
            throw ValidationError("--keys: expected 1 to \(RingTool.maxSampledKeys) sampled keys, got \(keys)")
        }
    }

    func run() throws {
        try reportingInputErrors {
            try RingTool.move(algorithm: algorithm, beforePath: before, afterPath: after, keyFile: keyFile, sampled: keys, seed: seed)
        }
    }
}
