import ArgumentParser
import Engines
import Foundation

/// `caplab engine up|status|down|run`: argument parsing only; the work is in the Engines module.
struct EngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Start, inspect and stop local etcd/Redis clusters, or run a scenario against one (or against existing endpoints).",
        discussion: """
            Members run in network namespaces of their own (root; otherwise loopback with per-member ports) and are \
            stopped by PID. The servers come from Debian: etcd-server, redis-server, redis-sentinel (`make deps`).
            """,
        subcommands: [Up.self, Status.self, Down.self, Run.self])

    struct Up: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a local cluster and leave it running.")
        @Argument(help: "etcd or redis") var engine: LocalClusters.Kind
        @Option(name: .long, help: "Members (etcd: 3 or 5; redis: a primary and members-1 replicas, Sentinels when 3).") var members = 3
        func validate() throws { if members < 1 || members > 9 { throw ValidationError("--members: expected 1 to 9") } }
        func run() throws { try engineErrors { print(try LocalClusters.up(engine, members: members), terminator: "") } }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the processes and members of a local cluster.")
        @Argument(help: "etcd or redis") var engine: LocalClusters.Kind
        func run() { print(LocalClusters.status(engine), terminator: "") }
    }

    struct Down: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a local cluster (its processes by PID), remove its namespaces and data.")
        @Argument(help: "etcd or redis") var engine: LocalClusters.Kind
        func run() { print(LocalClusters.down(engine), terminator: "") }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a scenario file (the `caplab simulate` format with an `engine:` section) against a local cluster or existing endpoints.")
        @Argument(help: "The scenario file.") var file: String
        @Option(name: .long, help: "Comma-separated host:port of an existing cluster; CAPLab then injects no faults.") var endpoints: String?
        @Flag(name: .long, help: "Use the scenario's quick operation count.") var quick = false
        @Option(name: .long, help: "Write the history (Jepsen EDN) here.") var history: String?
        func run() throws {
            try engineErrors {
                let list = endpoints.map { $0.split(separator: ",").map(String.init) }
                print(try EngineScenario.run(path: file, endpoints: list, quick: quick, historyPath: history), terminator: "")
            }
        }
    }
}

extension LocalClusters.Kind: ExpressibleByArgument {}

/// An engine error as a message on stderr and exit status 1.
func engineErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let error as EngineError {
        FileHandle.standardError.write(Data("caplab: error: \(error.description)\n".utf8))
        throw ExitCode.failure
    }
}
