import Foundation
import Stats

/// What a `caplab run` does with the grid points it finds journaled.
public enum RunMode: Sendable, Equatable {
    /// Start afresh: journals left by an earlier run are discarded.
    case fresh
    /// `--resume`: replay what the journals hold, measure only what is missing.
    case resume
    /// `--shard I/N`: measure this shard's points into the journals; write no CSV.
    case shard(Shard)
    /// `caplab merge`: every point must be journaled; measure nothing.
    case merge
}

/// How one `caplab run` is configured.
public struct RunOptions: Sendable {
    public var scale: Scale
    public var seed: UInt64
    public var outputDirectory: URL
    public var commandLine: [String]
    /// Redraw a progress bar on stderr (true when stderr is a terminal).
    public var interactive: Bool
    public var mode: RunMode = .fresh
    /// Take SIGINT/SIGTERM: remove scratch files, say what finished and how to resume (the CLI sets it).
    public var handleSignals = false
    /// Test hook standing in for a crash: stop after measuring this many new grid points in one experiment.
    public var stopAfterPoints: Int? = nil

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
///
/// Every finished grid point is journaled first (``RunJournal``), so a run
/// stopped by Ctrl-C, a crash or a full disk is completed by `--resume`;
/// the journals are removed once every CSV of the run is written.
public enum Runner {
    public static func run(
        _ experiments: [Experiment], options: RunOptions,
        log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    ) throws -> [ExperimentOutcome] {
        try AtomicFile.ensureWritableDirectory(options.outputDirectory)
        let environment = Environment.current()
        let filesystem = Filesystem.containing(options.outputDirectory)
        let status = RunStatus(options: options)
        if options.handleSignals { Interruption.install(summary: status.summary) }
        var outcomes: [ExperimentOutcome] = []
        var journals: [RunJournal] = []
        for experiment in experiments {
            let journalMode: RunJournal.Mode
            switch options.mode {
            case .fresh, .resume: journalMode = .measure
            case .shard(let shard): journalMode = .shard(shard)
            case .merge: journalMode = .replay
            }
            let journal = try RunJournal(
                experiment: experiment.name, seed: options.seed, scale: options.scale, output: options.outputDirectory,
                keep: options.mode != .fresh, mode: journalMode, stopAfter: options.stopAfterPoints)
            status.begin(experiment.name, journal)
            let progress = ProgressReporter(
                experiment: experiment.name, totalSteps: experiment.steps(options.scale), interactive: options.interactive)
            var context = RunContext(scale: options.scale, seed: options.seed, progress: progress, outputDirectory: options.outputDirectory)
            // Every Summary made while the experiment runs is kept, for the samples sidecar.
            SampleRecorder.start()
            let rows: [Row]
            do {
                if experiment.pointwise {
                    context.journal = journal
                    rows = try experiment.run(context)
                } else {
                    rows = try journal.point("*") { try experiment.run(context) }
                }
            } catch {
                _ = SampleRecorder.stop()
                progress.finish()
                throw error
            }
            let samples = SampleRecorder.stop()
            progress.finish()
            if case .shard(let shard) = options.mode {
                log("\(experiment.name): shard \(shard): \(journal.measured) grid point(s) measured, \(journal.replayed) already journaled, "
                    + "\(journal.leftToOtherShards) left to other shards -> \(journal.directory.relativePathForDisplay)")
                status.finish(experiment.name)
                continue
            }
            let outcome = try write(experiment, rows: rows, samples: samples, seconds: journal.seconds, options: options,
                                    environment: environment, filesystem: filesystem)
            let replayed = journal.replayed > 0 ? " (\(journal.replayed) grid point(s) from the journal)" : ""
            log("\(experiment.name): \(rows.count) rows in \(String(format: "%.1f", journal.seconds)) s\(replayed) -> \(outcome.csv.relativePathForDisplay)")
            outcomes.append(outcome)
            journals.append(journal)
            status.finish(experiment.name)
        }
        // Only now is every CSV of the run written; a resume before this point still finds every journal.
        for journal in journals { journal.remove() }
        status.end()
        return outcomes
    }

    /// Writes an experiment's CSV, metadata and samples sidecar as one unit (``AtomicFile/writeTogether(_:)``).
    static func write(
        _ experiment: Experiment, rows: [Row], samples: [[Double]], seconds: Double, options: RunOptions,
        environment: Environment, filesystem: Filesystem?
    ) throws -> ExperimentOutcome {
        let columns = experiment.columns.map(\.name)
        // Rows made by the experiment's own `Columns` always fit; this catches a row made by another table.
        for (index, row) in rows.enumerated() where row.cells.count != columns.count {
            throw LabError.rowShape(experiment: experiment.name, row: index + 1, expected: columns.count, got: row.cells.count)
        }
        let table = CSVTable(columns: columns, rows: rows.map(\.cells))
        let csv = options.outputDirectory.appendingPathComponent("\(experiment.name).csv")
        let meta = options.outputDirectory.appendingPathComponent("\(experiment.name).meta.json")
        let csvData = Data(table.rendered().utf8)
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
        metadata.csvDigest = RunMetadata.digest(csvData)
        // The meta file goes first: a crash before the CSV's rename leaves a digest the old CSV does not match.
        var files: [(Data, URL)] = [(try metadata.json(), meta), (csvData, csv)]
        let sidecarURL = SampleSidecar.url(besideCSV: csv)
        if let sidecar = SampleSidecar.table(for: table, recorded: samples) {
            files.append((Data(sidecar.rendered().utf8), sidecarURL))
        }
        try AtomicFile.writeTogether(files)
        if files.count == 2, FileManager.default.fileExists(atPath: sidecarURL.path) {
            try FileManager.default.removeItem(at: sidecarURL)
        }
        return ExperimentOutcome(experiment: experiment, table: table, csv: csv, metadata: meta, seconds: seconds)
    }
}

/// What a run has done so far, for the message an interrupted run prints.
final class RunStatus: @unchecked Sendable {
    private let lock = NSLock()
    private let options: RunOptions
    private var finished: [String] = []
    private var current: (name: String, journal: RunJournal)?

    init(options: RunOptions) { self.options = options }

    func begin(_ name: String, _ journal: RunJournal) {
        lock.lock(); defer { lock.unlock() }
        current = (name, journal)
    }

    func finish(_ name: String) {
        lock.lock(); defer { lock.unlock() }
        finished.append(name)
        current = nil
    }

    func end() {
        lock.lock(); defer { lock.unlock() }
        current = nil
    }

    /// "interrupted; finished …; resume with …".
    @Sendable func summary() -> String {
        lock.lock(); defer { lock.unlock() }
        var text = "caplab run interrupted; scratch files removed.\n"
        if !finished.isEmpty {
            let verb: String
            if case .shard = options.mode { verb = "journaled" } else { verb = "CSV written" }
            text += "  finished: \(finished.joined(separator: ", ")) — \(verb)\n"
        }
        if let current {
            let points = current.journal.measured + current.journal.replayed
            text += "  \(current.name): \(points) grid point(s) journaled in \(current.journal.directory.relativePathForDisplay)\n"
        }
        var arguments = options.commandLine.isEmpty ? ["caplab", "run"] : options.commandLine
        arguments[0] = URL(fileURLWithPath: arguments[0]).lastPathComponent
        if !arguments.contains("--resume") { arguments.append("--resume") }
        text += "  resume with: \(arguments.map(RunStatus.quoted).joined(separator: " "))\n"
        return text
    }

    static func quoted(_ argument: String) -> String {
        let safe = argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,@".contains($0) }
        return safe && !argument.isEmpty ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension URL {
    /// The path relative to the current directory when it lies below it.
    var relativePathForDisplay: String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }
}
