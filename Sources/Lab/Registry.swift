import Foundation

/// A list of experiments, in the order `caplab list` and `caplab run` (with
/// no names) use, looked up by name. The experiments module holds the one
/// list `caplab` runs (`Registry.all`); adding an experiment is one line there.
public struct Registry: Sendable {
    public let experiments: [Experiment]

    public init(_ experiments: [Experiment]) {
        self.experiments = experiments
    }

    public var names: [String] { experiments.map(\.name) }

    /// The experiments with these names, in the order given; all of them by default.
    /// Throws before anything runs if any name is unknown.
    public func resolve(_ names: [String]) throws -> [Experiment] {
        if names.isEmpty { return experiments }
        return try names.map { name in
            guard let experiment = experiments.first(where: { $0.name == name }) else {
                throw LabError.unknownExperiment(name, known: self.names)
            }
            return experiment
        }
    }
}

extension Registry {
    /// `caplab list`: every experiment with its summary and its parameters'
    /// values at `scale`, and with `columns`, its CSV columns.
    public func listing(scale: Scale, columns: Bool) -> String {
        var out = ""
        for experiment in experiments {
            out += "\(experiment.name)\n    \(experiment.summary)\n"
            for parameter in experiment.parameters {
                out += "    --  \(parameter.name): \(parameter.values(scale).joined(separator: ", "))  (\(parameter.summary))\n"
            }
            if columns {
                for column in experiment.columns { out += "    ->  \(column.name): \(column.summary)\n" }
            }
        }
        return out
    }

    /// `caplab run`: runs the named experiments (all by default), writes
    /// their files, and returns the summary table of each.
    public func run(_ names: [String], options: RunOptions) throws -> String {
        let outcomes = try Runner.run(resolve(names), options: options)
        var out = ""
        for outcome in outcomes {
            let columns = outcome.experiment.summaryColumns.isEmpty ? nil : outcome.experiment.summaryColumns
            out += "\n== \(outcome.experiment.name) (\(outcome.csv.path))\n"
            out += TextTable.render(outcome.table, columns: columns)
        }
        return out
    }

    /// `caplab plot`: draws the named experiments (by default every one with
    /// a CSV in `results`) and returns one `name: png` line each.
    public func plot(_ names: [String], scripts: URL, results: URL) throws -> String {
        var chosen = try resolve(names).map(\.name)
        if names.isEmpty {
            chosen = chosen.filter { FileManager.default.fileExists(atPath: results.appendingPathComponent("\($0).csv").path) }
            if chosen.isEmpty { throw LabError.nothingToPlot(path: results.path) }
        }
        var out = ""
        for name in chosen {
            let png = try Plotter.plot(name, scripts: scripts, results: results)
            out += "\(name): \(png.path)\n"
        }
        return out
    }
}
