import ArgumentParser
import Experiments
import Lab

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every experiment with its description and parameters.")

    @Flag(name: .long, help: "Show the parameter values of the --quick grid.")
    var quick = false

    @Flag(name: .long, help: "Show the parameter values of the --full grid.")
    var full = false

    @Flag(name: .long, help: "Also list each experiment's CSV columns.")
    var columns = false

    func validate() throws {
        if quick && full { throw ValidationError("--quick and --full are exclusive") }
    }

    func run() throws {
        print(Registry.all.listing(scale: quick ? .quick : (full ? .full : .standard), columns: columns), terminator: "")
    }
}
