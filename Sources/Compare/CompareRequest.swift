import Foundation
import Lab

/// `caplab compare`: what to compare, and the table that answers it.
///
/// Two files (old, new): every configuration and metric of `new` is matched
/// with `old`. One file with `variants` and `baseline`: the rows whose
/// variant columns equal `baseline` are the reference, and every other
/// variant is matched with them on the remaining columns.
public struct CompareRequest: Sendable {
    public enum Format: String, Sendable, CaseIterable { case table, markdown }

    public var files: [String]
    /// Columns that name a variant (variant mode).
    public var variantColumns: [String]
    /// Values of `variantColumns` for the reference variant (variant mode).
    public var baselineValues: [String]
    /// Only this metric; all when nil.
    public var metric: String?
    /// Columns left out when matching rows.
    public var ignore: [String]
    public var format: Format

    public init(files: [String], variantColumns: [String] = [], baselineValues: [String] = [], metric: String? = nil,
                ignore: [String] = [], format: Format = .table) {
        self.files = files
        self.variantColumns = variantColumns
        self.baselineValues = baselineValues
        self.metric = metric
        self.ignore = ignore
        self.format = format
    }

    public var variantMode: Bool { !variantColumns.isEmpty }

    /// A comparison that cannot be made, said the way `caplab` prints it.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// What `caplab compare` prints: the table on stdout, notes on stderr.
    public struct Output: Sendable, Equatable {
        public let text: String
        public let notes: [String]
    }

    /// Reads the files, matches their values and renders the comparison.
    public func run() throws -> Output {
        let table: CSVTable
        var notes: [String] = []
        if !variantMode {
            let old = try load(files[0]), new = try load(files[1])
            let (pairs, unmatched) = Comparison.match(old: old, new: new, ignoring: Set(ignore))
            guard !pairs.isEmpty else { throw Failure(description: "no configuration of \(files[1]) matches one of \(files[0])") }
            table = render(pairs, keyColumns: keyColumns(pairs), oldTitle: "old", newTitle: "new")
            if !unmatched.isEmpty { notes.append("\(unmatched.count) values in \(files[1]) have no match in \(files[0])") }
        } else {
            let all = try load(files[0])
            for column in variantColumns where !(all.first?.key.keys.contains(column) ?? false) {
                throw Failure(description: "\(files[0]) has no column '\(column)'")
            }
            let isBaseline = { (v: MeasuredValue) in zip(variantColumns, baselineValues).allSatisfy { v.key[$0] == $1 } }
            let reference = all.filter(isBaseline)
            let baseline = baselineValues.joined(separator: ",")
            guard !reference.isEmpty else {
                throw Failure(description: "no row of \(files[0]) has \(variantColumns.joined(separator: ",")) = \(baseline)")
            }
            let (pairs, unmatched) = Comparison.match(old: reference, new: all.filter { !isBaseline($0) }, ignoring: Set(variantColumns + ignore))
            guard !pairs.isEmpty else {
                throw Failure(description: "no variant row matches a baseline row; try --ignore with the columns that differ between variants")
            }
            if !unmatched.isEmpty { notes.append("\(unmatched.count) values have no baseline row with the same other columns (try --ignore)") }
            let keys = keyColumns(pairs).filter { !variantColumns.contains($0) }
            table = render(pairs, keyColumns: keys, oldTitle: baseline, newTitle: "variant")
        }
        return Output(text: format == .markdown ? TextTable.markdown(table) : TextTable.render(table), notes: notes)
    }

    func load(_ path: String) throws -> [MeasuredValue] {
        let values: [MeasuredValue]
        do {
            values = try ResultFile.read(URL(fileURLWithPath: path))
        } catch let error as LabError {
            throw Failure(description: error.description)
        }
        guard let metric else { return values }
        let chosen = values.filter { $0.metric == metric }
        if chosen.isEmpty {
            throw Failure(description: "\(path) has no metric '\(metric)' (it has: \(Set(values.map(\.metric)).sorted().joined(separator: ", ")))")
        }
        return chosen
    }

    /// Columns that vary between the compared configurations, in a stable order.
    func keyColumns(_ pairs: [Comparison]) -> [String] {
        let all = Set(pairs.flatMap { $0.new.key.keys }).subtracting(ignore)
        return all.sorted().filter { column in Set(pairs.map { $0.new.key[column] ?? "" }).count > 1 || ["test", "measurement"].contains(column) }
    }

    func render(_ pairs: [Comparison], keyColumns: [String], oldTitle: String, newTitle: String) -> CSVTable {
        let variantTitle = variantColumns.joined(separator: ",")
        var columns = keyColumns
        if variantMode { columns.append(variantTitle) }
        columns += ["metric", oldTitle, newTitle, "ratio", "ratio_ci", "verdict"]
        var table = CSVTable(columns: columns)
        for p in pairs {
            var row = keyColumns.map { p.new.key[$0] ?? "" }
            if variantMode { row.append(variantColumns.map { p.new.key[$0] ?? "" }.joined(separator: ",")) }
            row += [
                p.new.metric, String(format: "%.4g", p.old.median), String(format: "%.4g", p.new.median),
                String(format: "%.3fx", p.ratio), String(format: "[%.3f, %.3f]", p.ratioLow, p.ratioHigh), p.verdictText,
            ]
            table.append(row)
        }
        return table
    }
}
