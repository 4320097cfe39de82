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
        let scale: Scale = quick ? .quick : (full ? .full : .standard)
        for experiment in Registry.all.experiments {
            print("\(experiment.name)\n    \(experiment.summary)")
            for parameter in experiment.parameters {
                print("    --  \(parameter.name): \(parameter.values(scale).joined(separator: ", "))  (\(parameter.summary))")
            }
            if columns {
                for column in experiment.columns { print("    ->  \(column.name): \(column.summary)") }
            }
        }
    }
}
