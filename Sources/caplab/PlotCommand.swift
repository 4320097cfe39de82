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
        do {
            _ = try Registry.all.resolve(names)
        } catch let error as LabError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let resultsURL = URL(fileURLWithPath: results)
        var chosen = try Registry.all.resolve(names).map(\.name)
        if names.isEmpty {
            chosen = chosen.filter { FileManager.default.fileExists(atPath: resultsURL.appendingPathComponent("\($0).csv").path) }
            if chosen.isEmpty {
                FileHandle.standardError.write(Data("caplab: error: no results in '\(results)' to plot; run `caplab run` first\n".utf8))
                throw ExitCode.failure
            }
        }
        for name in chosen {
            let png = try reportingErrors {
                try Plotter.plot(name, scripts: URL(fileURLWithPath: scripts), results: resultsURL)
            }
            print("\(name): \(png.path)")
        }
    }
}
