import ArgumentParser
import Gate
import Lab

struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Run one hot-path kernel for a number of iterations and print its checksum.",
        discussion: """
            Kernels are what the regression gate (`caplab gate`) counts instructions for, \
            under callgrind, at two iteration counts. `caplab kernel --list` shows them.
            """)

    @Argument(help: "The kernel to run.")
    var name: String?

    @Option(name: .long, help: "How many operations to perform.")
    var iterations: Int = 1_000

    @Flag(name: .long, help: "List the kernels and exit.")
    var list = false

    func validate() throws {
        if list { return }
        guard let name else { throw ValidationError("name a kernel, or use --list") }
        guard Kernels.named(name) != nil else {
            throw ValidationError(LabError.unknownKernel(name, known: Kernels.all.map(\.name)).description)
        }
        guard iterations >= 0 else { throw ValidationError("--iterations must be at least 0") }
    }

    func run() throws {
        if list {
            for kernel in Kernels.all { print("\(kernel.name)  \(kernel.summary)") }
            return
        }
        print(Kernels.named(name!)!.run(iterations))
    }
}
