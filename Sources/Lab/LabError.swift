/// Everything the lab reports to a user as an error: each says what was
/// wrong, where, and what was expected.
public enum LabError: Error, CustomStringConvertible, Equatable {
    case unknownExperiment(String, known: [String])
    case outputNotWritable(path: String, reason: String)
    case rowShape(experiment: String, row: Int, expected: Int, got: Int)
    case gnuplotMissing
    case plotScriptMissing(path: String)
    case resultsMissing(path: String)
    case nothingToPlot(path: String)
    case plotFailed(experiment: String, status: Int32, stderr: String)
    case toolMissing(tool: String, install: String)
    case unknownKernel(String, known: [String])
    case kernelFailed(kernel: String, status: Int32, output: String)
    case badInput(file: String, line: Int?, problem: String)
    case experimentFailed(String, String)
    case journalMismatch(path: String, found: String, expected: String)
    case journalIncomplete(experiment: String, key: String?, path: String)
    case interrupted(experiment: String)
    case shardsDisagree(path: String, found: String, expected: String)

    public var description: String {
        switch self {
        case .unknownExperiment(let name, let known):
            return "unknown experiment '\(name)'; known experiments: \(known.joined(separator: ", ")) (see `caplab list`)"
        case .outputNotWritable(let path, let reason):
            return "cannot write results to '\(path)': \(reason)"
        case .rowShape(let experiment, let row, let expected, let got):
            return "experiment '\(experiment)' produced row \(row) with \(got) cells; its header has \(expected) columns"
        case .gnuplotMissing:
            return "gnuplot is not installed or not on PATH; install it with `apt-get install gnuplot-nox` (or run `make run`, which does)"
        case .plotScriptMissing(let path):
            return "no plot script at '\(path)'"
        case .resultsMissing(let path):
            return "no results to plot at '\(path)'; run `caplab run` for this experiment first"
        case .nothingToPlot(let path):
            return "no results in '\(path)' to plot; run `caplab run` first"
        case .plotFailed(let experiment, let status, let stderr):
            return "gnuplot failed for '\(experiment)' (exit \(status)): \(stderr)"
        case .toolMissing(let tool, let install):
            return "\(tool) is not installed or not on PATH; \(install)"
        case .unknownKernel(let name, let known):
            return "unknown kernel '\(name)'; known kernels: \(known.joined(separator: ", ")) (see `caplab kernel --list`)"
        case .kernelFailed(let kernel, let status, let output):
            return "kernel '\(kernel)' failed under callgrind (exit \(status)):\n\(output)"
        case .badInput(let file, let line, let problem):
            return "\(file)\(line.map { ":\($0)" } ?? ""): \(problem)"
        case .experimentFailed(let experiment, let problem):
            return "experiment '\(experiment)': \(problem)"
        case .journalMismatch(let path, let found, let expected):
            return "the journal '\(path)' was written for \(found), this run is \(expected); resume with the same --seed and scale, or run without --resume to start afresh"
        case .journalIncomplete(let experiment, let key, let path):
            if let key {
                return "grid point '\(key)' of \(experiment) is in no shard's journal (looked in '\(path)'); run the shard that owns it (`caplab run --shard I/N` with the same N) and merge again"
            }
            return "no journal for \(experiment) at '\(path)'; run the shards first (`caplab run --shard I/N --out DIR`)"
        case .interrupted(let experiment):
            return "run interrupted during \(experiment); finished grid points are journaled, `caplab run --resume` with the same arguments completes it"
        case .shardsDisagree(let path, let found, let expected):
            return "the journal '\(path)' is for \(found), the other shards for \(expected); every shard must use the same --seed and scale"
        }
    }
}

extension LabError {
    /// The status `caplab` exits with for this error, in the one scheme every
    /// subcommand follows (see ``ExitStatus``): a name the lab does not know
    /// is a usage error, a file whose content is wrong is bad input data, and
    /// a file or tool that cannot be read, written or run is an I/O error.
    public var exitStatus: ExitStatus {
        switch self {
        case .unknownExperiment, .unknownKernel, .journalMismatch, .shardsDisagree: return .usage
        case .badInput, .rowShape, .journalIncomplete: return .badInput
        case .outputNotWritable, .gnuplotMissing, .plotScriptMissing, .resultsMissing, .nothingToPlot,
             .plotFailed, .toolMissing, .kernelFailed, .experimentFailed, .interrupted:
            return .ioError
        }
    }
}
