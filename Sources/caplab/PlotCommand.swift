import ArgumentParser
import Experiments
import Foundation
import Lab

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw <results>/<name>.png from <results>/<name>.csv with plots-scripts/<name>.gp (needs gnuplot).")

    @Argument(help: "Experiments to plot (default: every experiment that has a CSV in the results directory).")
    var names: [String] = []

    @Option(name: .long, help: "Directory holding the CSV files; PNGs are written beside them.")
    var results: String = "results"

    @Option(name: .long, help: "Directory holding the gnuplot scripts.")
    var scripts: String = "plots-scripts"

    func validate() throws {
        try validateExperimentNames(names)
    }

    func run() throws {
        print(try reportingErrors {
            try Registry.all.plot(names, scripts: URL(fileURLWithPath: scripts), results: URL(fileURLWithPath: results))
        }, terminator: "")
    }
}
