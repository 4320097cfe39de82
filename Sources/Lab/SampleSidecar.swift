import Foundation
import Stats

/// The raw samples behind a result CSV's medians, kept beside it as
/// `<name>.samples.csv` so `caplab compare` can test the samples themselves
/// (a rank test at any confidence) instead of two summary intervals:
///
///     row,metric,median,samples
///     1,lookup_ns,21.406,21.406 22.013 21.398 …
///
/// `row` is the 1-based data row of the CSV, `metric` the `<metric>_median`
/// column's stem, `median` that cell as written (a reader checks it, so a
/// sidecar left from another run is not paired with the wrong CSV), and
/// `samples` the values in the order they were taken.
///
/// The runner writes it without help from the experiments: every
/// ``Summary`` made while an experiment runs is recorded (``SampleRecorder``)
/// and matched to the row whose `_median` (and `_min`, `_max`, `_ci_low`,
/// `_ci_high`, when present) cells it reproduces to the cells' precision.
/// A median computed another way (a ratio of two summaries, a scaled
/// median) matches nothing and gets no samples; `compare` then falls back
/// to the intervals in the CSV.
public enum SampleSidecar {
    public static let columns = ["row", "metric", "median", "samples"]

    public static func url(besideCSV csv: URL) -> URL {
        csv.deletingPathExtension().appendingPathExtension("samples.csv")
    }

    /// The sidecar table for `table`, from the samples recorded while it was made (nil when nothing matched).
    public static func table(for table: CSVTable, recorded: [[Double]]) -> CSVTable? {
        let index = Dictionary(table.columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let metrics = table.columns.filter { $0.hasSuffix("_median") }.map { String($0.dropLast("_median".count)) }
        guard !metrics.isEmpty, !recorded.isEmpty else { return nil }
        let summaries = recorded.map { Summary($0) }
        var used = [Bool](repeating: false, count: recorded.count)
        var sidecar = CSVTable(columns: columns)
        for (r, row) in table.rows.enumerated() {
            for metric in metrics {
                // The cells a summary must reproduce: the median and whichever of its companions the CSV has.
                let checks: [(String, KeyPath<Summary, Double>)] = [
                    ("_median", \.median), ("_min", \.min), ("_max", \.max), ("_ci_low", \.ciLow), ("_ci_high", \.ciHigh),
                ].compactMap { suffix, path in index[metric + suffix].map { (row[$0], path) } }
                guard let i = summaries.indices.first(where: { i in
                    !used[i] && checks.allSatisfy { cell, path in reproduces(cell, summaries[i][keyPath: path]) }
                }) else { continue }
                used[i] = true
                sidecar.append([String(r + 1), metric, row[index[metric + "_median"]!], recorded[i].map { "\($0)" }.joined(separator: " ")])
            }
        }
        return sidecar.rows.isEmpty ? nil : sidecar
    }

    /// Whether `cell` is `value` written with the cell's number of decimals.
    static func reproduces(_ cell: String, _ value: Double) -> Bool {
        guard let written = Double(cell) else { return false }
        let decimals = cell.firstIndex(of: ".").map { cell.distance(from: $0, to: cell.endIndex) - 1 } ?? 0
        return abs(written - value) <= 0.5 * pow(10, -Double(decimals)) + 1e-9 * abs(value)
    }

    /// Writes (or, when nothing matched, removes) the sidecar beside `csv`.
    public static func write(for table: CSVTable, recorded: [[Double]], besideCSV csv: URL) throws {
        let url = url(besideCSV: csv)
        if let sidecar = self.table(for: table, recorded: recorded) {
            try AtomicFile.write(sidecar.rendered(), to: url)
        } else if FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.removeItem(at: url)
        }
    }

    /// Samples by (1-based row, metric) with the median cell they were written for.
    public static func read(_ url: URL) throws -> [Key: (median: String, samples: [Double])] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw LabError.badInput(file: url.path, line: nil, problem: "cannot read the samples file")
        }
        guard let table = CSVTable.parse(text), table.columns == columns else {
            throw LabError.badInput(file: url.path, line: 1, problem: "expected a CSV with header `\(columns.joined(separator: ","))`")
        }
        var samples: [Key: (median: String, samples: [Double])] = [:]
        for (i, row) in table.rows.enumerated() {
            let values = row[3].split(separator: " ").compactMap { Double($0) }
            guard let r = Int(row[0]), !values.isEmpty, values.count == row[3].split(separator: " ").count else {
                throw LabError.badInput(file: url.path, line: i + 2, problem: "expected a row number and space-separated numbers")
            }
            samples[Key(row: r, metric: row[1])] = (row[2], values)
        }
        return samples
    }

    public struct Key: Hashable, Sendable {
        public let row: Int
        public let metric: String

        public init(row: Int, metric: String) {
            self.row = row
            self.metric = metric
        }
    }
}
