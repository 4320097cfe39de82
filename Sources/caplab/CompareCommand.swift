import ArgumentParser
import Foundation
import Compare
import Lab

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare result CSVs like benchstat: ratio of medians and a verdict, from raw samples when they were kept.",
        discussion: """
            Two files (OLD NEW): every configuration and metric in NEW is matched with OLD; reads CAPLab CSVs \
            (with their <name>.samples.csv) and package-benchmark `--format influx` exports.
            One file with --variants and --baseline: compares the variants inside it against one of them, e.g.
              caplab compare results/ring-lookup.csv --variants algorithm,virtual_nodes --baseline jump,0 --ignore memory_bytes keys
            With raw samples on both sides the verdict is a two-sided Mann-Whitney U test at --confidence; \
            otherwise the ratio interval from the two medians' 95 % intervals. A difference also has to reach --min-effect.
            Exit status: 0 pass, 1 slower (with --fail-on slower|any), 2 faster (with --fail-on faster|any), \
            3 missing baseline, 64 usage, 65 bad input.
            """)

    @Argument(help: "OLD and NEW result files, or one file with --variants.")
    var files: [String]

    @Option(name: .long, help: "Comma-separated columns that name a variant (variant mode).")
    var variants: String?

    @Option(name: .long, help: "Comma-separated values of the --variants columns for the reference variant.")
    var baseline: String?

    @Option(name: .long, help: "Only this metric (e.g. lookup_ns); default: all.")
    var metric: String?

    @Option(name: .long, parsing: .upToNextOption, help: "Columns to leave out when matching rows (e.g. memory_bytes).")
    var ignore: [String] = []

    @Option(name: .long, help: "Output: text, markdown, json, junit (table = text).")
    var format: String = "text"

    @Option(name: .long, help: "Confidence level of the rank test, e.g. 0.95 or 99%.")
    var confidence: String = "0.95"

    @Option(name: .long, help: "Smallest change of the median that counts, e.g. 5%.")
    var minEffect: String = "0%"

    @Option(name: .long, help: "Fail on: never, slower (exit 1), faster (exit 2), any.")
    var failOn: String = "never"

    @Flag(name: .long, help: "FILES are runs of unchanged code: report A/A false alarms and detection of 5 % and 10 % slowdowns.")
    var calibrate = false

    func validate() throws {
        if calibrate {
            guard files.count >= 2 else { throw ValidationError("--calibrate needs at least two result files of the same code") }
        } else if variants != nil || baseline != nil {
            guard variants != nil, baseline != nil else { throw ValidationError("--variants and --baseline go together") }
            guard files.count == 1 else { throw ValidationError("variant mode compares the rows of one file; got \(files.count) files") }
        } else if files.count != 2 {
            throw ValidationError("give two files (OLD NEW), or one file with --variants and --baseline")
        }
    }

    func run() throws {
        if calibrate {
            return try exitWith {
                print(TextTable.render(CompareCalibration.table(try CompareCalibration.run(files: files))), terminator: "")
                return .pass
            }
        }
        var session = CompareSession(files: files)
        if let variants, let baseline {
            let columns = variants.split(separator: ",").map(String.init)
            let values = baseline.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard columns.count == values.count else { throw ValidationError("--baseline needs one value per --variants column (\(columns.count))") }
            session.variants = (columns, values)
        }
        session.metric = metric
        session.ignore = ignore
        session.format = try parseFormat(format == "table" ? "text" : format)
        guard let level = Fraction.parse(confidence), level > 0, level < 1 else { throw ValidationError("--confidence is a level such as 0.95 or 99%") }
        guard let effect = Fraction.parse(minEffect), effect >= 0 else { throw ValidationError("--min-effect is a size such as 5% or 0.05") }
        session.policy = ComparisonPolicy(confidence: level, minEffect: effect)
        guard let failOn = CompareSession.FailOn(rawValue: failOn) else { throw ValidationError("--fail-on is never, slower, faster or any") }
        session.failOn = failOn
        try exitWith { try session.run(output: { print($0, terminator: "") }, log: logToStandardError) }
    }
}
