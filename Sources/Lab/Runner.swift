import Foundation
import Stats

/// How one `caplab run` is configured.
public struct RunOptions: Sendable {
    public var scale: Scale
    public var seed: UInt64
    public var outputDirectory: URL
    public var commandLine: [String]
    /// Redraw a progress bar on stderr (true when stderr is a terminal).
    public var interactive: Bool

    public init(scale: Scale = .standard, seed: UInt64 = 1, outputDirectory: URL, commandLine: [String] = CommandLine.arguments, interactive: Bool = false) {
        self.scale = scale
        self.seed = seed
        self.outputDirectory = outputDirectory
        self.commandLine = commandLine
        self.interactive = interactive
    }
}

/// The result of running one experiment.
public struct ExperimentOutcome: Sendable {
    public let experiment: Experiment
    public let table: CSVTable
    public let csv: URL
    public let metadata: URL
    public let seconds: Double
}

/// Runs experiments and writes `<name>.csv` and `<name>.meta.json` for each,
/// and `<name>.samples.csv` with the raw samples behind its medians (``SampleSidecar``).
public enum Runner {
    /// Runs `experiments` in order. Each experiment's files are written
    /// atomically once it has finished, so an interrupted run leaves the
    /// previous complete results, never a partial CSV.
    public static func run(
        _ experiments: [Experiment], options: RunOptions,
        log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    ) throws -> [ExperimentOutcome] {
        try AtomicFile.ensureWritableDirectory(options.outputDirectory)
        let environment = Environment.current()
        let filesystem = Filesystem.containing(options.outputDirectory)
        var outcomes: [ExperimentOutcome] = []
        for experiment in experiments {
            let progress = ProgressReporter(
                experiment: experiment.name, totalSteps: experiment.steps(options.scale), interactive: options.interactive)
            let context = RunContext(scale: options.scale, seed: options.seed, progress: progress, outputDirectory: options.outputDirectory)
            let start = monotonicNanoseconds()
            // Every Summary made while the experiment runs is kept, for the samples sidecar.
            SampleRecorder.start()
            let rows: [Row]
            do { rows = try experiment.run(context) } catch { _ = SampleRecorder.stop(); throw error }
            let samples = SampleRecorder.stop()
            progress.finish()
            let seconds = Double(monotonicNanoseconds() - start) / 1e9

            let columns = experiment.columns.map(\.name)
            // Rows made by the experiment's own `Columns` always fit; this catches a row made by another table.
            for (index, row) in rows.enumerated() where row.cells.count != columns.count {
                throw LabError.rowShape(experiment: experiment.name, row: index + 1, expected: columns.count, got: row.cells.count)
            }
            let table = CSVTable(columns: columns, rows: rows.map(\.cells))
            let csv = options.outputDirectory.appendingPathComponent("\(experiment.name).csv")
            let meta = options.outputDirectory.appendingPathComponent("\(experiment.name).meta.json")
            var metadata = RunMetadata(
                experiment: experiment.name,
                gitCommit: environment.gitCommit,
                gitDirty: environment.gitDirty,
                swiftVersion: environment.swiftVersion,
                cpuModel: environment.cpuModel,
                coreCount: environment.coreCount,
                operatingSystem: environment.operatingSystem,
                date: ISO8601DateFormatter().string(from: Date()),
                seed: options.seed,
                scale: options.scale.rawValue,
                parameterGrid: experiment.grid(options.scale),
                commandLine: options.commandLine,
                durationSeconds: (seconds * 1000).rounded() / 1000,
                rows: rows.count)
            metadata.filesystem = filesystem
            try AtomicFile.write(table.rendered(), to: csv)
            try AtomicFile.write(try metadata.json(), to: meta)
            try SampleSidecar.write(for: table, recorded: samples, besideCSV: csv)
            log("\(experiment.name): \(rows.count) rows in \(String(format: "%.1f", seconds)) s -> \(csv.relativePathForDisplay)")
            outcomes.append(ExperimentOutcome(experiment: experiment, table: table, csv: csv, metadata: meta, seconds: seconds))
        }
        return outcomes
    }
}

extension URL {
    /// The path relative to the current directory when it lies below it.
    var relativePathForDisplay: String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }
}
