import ArgumentParser
import Experiments
import Lab

/// The child process of the `allocator` experiment (run with or without LD_PRELOAD of jemalloc).
struct AllocatorWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocator-worker",
        abstract: "One threaded run for the allocator experiment; prints one CSV line (internal).",
        shouldDisplay: false)

    @Option(name: .long, help: "Client threads.")
    var clientThreads: Int

    @Option(name: .long, help: "Operations.")
    var operations: Int

    @Option(name: .long, help: "Seed.")
    var seed: UInt64

    func validate() throws {
        if clientThreads < 1 || operations < 1 { throw ValidationError("--client-threads and --operations must be positive") }
    }

    func run() throws {
        print(try AllocatorWorker.run(clientThreads: clientThreads, operations: operations, seed: seed))
    }
}
