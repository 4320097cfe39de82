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

    /// `caplab merge`: unites the journals of `shards` (output directories
    /// of `caplab run --shard I/N`) in `output` and replays them into the
    /// named experiments' files (by default, every experiment journaled in
    /// some shard). Nothing is measured: a point no shard holds is an error.
    public func merge(_ names: [String], shards: [URL], output: URL, commandLine: [String]) throws -> String {
        try AtomicFile.ensureWritableDirectory(output)
        var out = ""
        for experiment in try resolve(names) {
            let sources = shards.map { RunJournal.directory(for: experiment.name, in: $0) }
                .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("run.json").path) }
            guard let first = sources.first else {
                if names.isEmpty { continue }
                throw LabError.journalIncomplete(experiment: experiment.name, key: nil, path: shards.map(\.path).joined(separator: ", "))
            }
            let header = try RunJournal.header(at: first)
            for source in sources.dropFirst() {
                let other = try RunJournal.header(at: source)
                guard other.seed == header.seed, other.scale == header.scale else {
                    throw LabError.shardsDisagree(path: source.path, found: "seed \(other.seed), scale \(other.scale.rawValue)",
                                                  expected: "seed \(header.seed), scale \(header.scale.rawValue)")
                }
            }
            let destination = RunJournal.directory(for: experiment.name, in: output)
            let resolved = destination.standardizedFileURL.resolvingSymlinksInPath().path
            let inPlace = sources.contains { $0.standardizedFileURL.resolvingSymlinksInPath().path == resolved }
            // A fresh journal in `output` (unless a shard wrote there itself), then every shard's points.
            _ = try RunJournal(experiment: experiment.name, seed: header.seed, scale: header.scale, output: output,
                               keep: inPlace, mode: .measure)
            for source in sources where source.standardizedFileURL.resolvingSymlinksInPath().path != resolved {
                for file in RunJournal.pointFiles(in: source) {
                    let target = destination.appendingPathComponent(file.lastPathComponent)
                    if FileManager.default.fileExists(atPath: target.path) { continue }
                    do {
                        try AtomicFile.write(try Data(contentsOf: file), to: target)
                    } catch let error as LabError {
                        throw error
                    } catch {
                        throw LabError.badInput(file: file.path, line: nil, problem: "cannot read: \(AtomicFile.describe(error))")
                    }
                }
            }
            var options = RunOptions(scale: header.scale, seed: header.seed, outputDirectory: output, commandLine: commandLine)
            options.mode = .merge
            for outcome in try Runner.run([experiment], options: options) {
                out += "\n== \(outcome.experiment.name) (\(outcome.csv.path))\n"
                out += TextTable.render(outcome.table, columns: outcome.experiment.summaryColumns.isEmpty ? nil : outcome.experiment.summaryColumns)
            }
        }
        if out.isEmpty { throw LabError.journalIncomplete(experiment: "any experiment", key: nil, path: shards.map(\.path).joined(separator: ", ")) }
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
