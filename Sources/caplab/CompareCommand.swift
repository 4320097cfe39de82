import ArgumentParser
import Compare
import Foundation
import Lab

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare result CSVs like benchstat: ratio of medians, its confidence interval, and a verdict.",
        discussion: """
            Two files (OLD NEW): every configuration and metric in NEW is matched with OLD; reads CAPLab CSVs \
            and package-benchmark `--format influx` exports.
            One file with --variants and --baseline: compares the variants inside it against one of them, e.g.
              caplab compare results/ring-lookup.csv --variants algorithm,virtual_nodes --baseline jump,0 --ignore memory_bytes keys
            The ratio interval combines the two medians' 95 % intervals (coverage at least 90 %); \
            '~' means the interval contains 1: no significant difference.
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

    @Option(name: .long, help: "Output format: \(CompareRequest.Format.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: CompareRequest.Format = .table

    func validate() throws {
        if variants != nil || baseline != nil {
            guard variants != nil, baseline != nil else { throw ValidationError("--variants and --baseline go together") }
            guard files.count == 1 else { throw ValidationError("variant mode compares the rows of one file; got \(files.count) files") }
            guard variantColumns.count == baselineValues.count else {
                throw ValidationError("--baseline needs one value per --variants column (\(variantColumns.count))")
            }
        } else if files.count != 2 {
            throw ValidationError("give two files (OLD NEW), or one file with --variants and --baseline")
        }
    }

    var variantColumns: [String] { (variants ?? "").split(separator: ",").map(String.init) }
    var baselineValues: [String] { (baseline ?? "").split(separator: ",", omittingEmptySubsequences: false).map(String.init) }

    func run() throws {
        let request = CompareRequest(
            files: files, variantColumns: variantColumns, baselineValues: baselineValues, metric: metric, ignore: ignore, format: format)
        do {
            let output = try request.run()
            for note in output.notes { FileHandle.standardError.write(Data("caplab: note: \(note)\n".utf8)) }
            print(output.text, terminator: "")
        } catch let failure as CompareRequest.Failure {
            FileHandle.standardError.write(Data("caplab: error: \(failure.description)\n".utf8))
            throw ExitCode.failure
        }
    }
}

extension CompareRequest.Format: ExpressibleByArgument {}
