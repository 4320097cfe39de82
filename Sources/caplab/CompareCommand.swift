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

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, markdown }

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

    @Option(name: .long, help: "Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: Format = .table

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
        var table: CSVTable
        if files.count == 2 {
            let old = try load(files[0]), new = try load(files[1])
            let (pairs, unmatched) = Comparison.match(old: old, new: new, ignoring: Set(ignore))
            guard !pairs.isEmpty else { try fail("no configuration of \(files[1]) matches one of \(files[0])") }
            table = render(pairs, keyColumns: keyColumns(pairs), oldTitle: "old", newTitle: "new", variantColumns: [])
            if !unmatched.isEmpty {
                FileHandle.standardError.write(Data("caplab: note: \(unmatched.count) values in \(files[1]) have no match in \(files[0])\n".utf8))
            }
        } else {
            let all = try load(files[0])
            for column in variantColumns where !(all.first?.key.keys.contains(column) ?? false) {
                try fail("\(files[0]) has no column '\(column)'")
            }
            let isBaseline = { (v: MeasuredValue) in zip(variantColumns, baselineValues).allSatisfy { v.key[$0] == $1 } }
            let reference = all.filter(isBaseline)
            guard !reference.isEmpty else { try fail("no row of \(files[0]) has \(variantColumns.joined(separator: ",")) = \(baseline!)") }
            let (pairs, unmatched) = Comparison.match(old: reference, new: all.filter { !isBaseline($0) }, ignoring: Set(variantColumns + ignore))
            guard !pairs.isEmpty else { try fail("no variant row matches a baseline row; try --ignore with the columns that differ between variants") }
            if !unmatched.isEmpty {
                FileHandle.standardError.write(Data("caplab: note: \(unmatched.count) values have no baseline row with the same other columns (try --ignore)\n".utf8))
            }
            let keys = keyColumns(pairs).filter { !variantColumns.contains($0) }
            table = render(pairs, keyColumns: keys, oldTitle: baseline!, newTitle: "variant", variantColumns: variantColumns)
        }
        print(format == .markdown ? TextTable.markdown(table) : TextTable.render(table), terminator: "")
    }

    func load(_ path: String) throws -> [MeasuredValue] {
        let values = try reportingErrors { try ResultFile.read(URL(fileURLWithPath: path)) }
        guard let metric else { return values }
        let chosen = values.filter { $0.metric == metric }
        if chosen.isEmpty { try fail("\(path) has no metric '\(metric)' (it has: \(Set(values.map(\.metric)).sorted().joined(separator: ", ")))") }
        return chosen
    }

    func keyColumns(_ pairs: [Comparison]) -> [String] {
        // Columns that vary between the compared configurations, in a stable order.
        let all = Set(pairs.flatMap { $0.new.key.keys }).subtracting(ignore)
        return all.sorted().filter { column in Set(pairs.map { $0.new.key[column] ?? "" }).count > 1 || ["test", "measurement"].contains(column) }
    }

    func render(_ pairs: [Comparison], keyColumns: [String], oldTitle: String, newTitle: String, variantColumns: [String]) -> CSVTable {
        let variantTitle = variantColumns.joined(separator: ",")
        var columns = keyColumns
        if !variantColumns.isEmpty { columns.append(variantTitle) }
        columns += ["metric", oldTitle, newTitle, "ratio", "ratio_ci", "verdict"]
        var table = CSVTable(columns: columns)
        for p in pairs {
            var row = keyColumns.map { p.new.key[$0] ?? "" }
            if !variantColumns.isEmpty { row.append(variantColumns.map { p.new.key[$0] ?? "" }.joined(separator: ",")) }
            row += [
                p.new.metric, String(format: "%.4g", p.old.median), String(format: "%.4g", p.new.median),
                String(format: "%.3fx", p.ratio), String(format: "[%.3f, %.3f]", p.ratioLow, p.ratioHigh), p.verdictText,
            ]
            table.append(row)
        }
        return table
    }

    func fail(_ message: String) throws -> Never {
        FileHandle.standardError.write(Data("caplab: error: \(message)\n".utf8))
        throw ExitCode.failure
    }
}
