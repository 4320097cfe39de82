import Foundation
import Lab

/// Reads result CSVs into ``MeasuredValue``s for `caplab compare`, with
/// their raw samples when a samples sidecar (``SampleSidecar``) lies beside
/// the CSV and was written for it.
///
/// Two kinds are understood:
/// - **CAPLab CSVs**: a metric is every column group `P_median` with
///   `P_ci_low`/`P_ci_high` (the 95 % order-statistic interval for the
///   median) or, failing those, `P_min`/`P_max` (wider, so more
///   conservative). Every column outside a metric group identifies the row.
/// - **package-benchmark `--format influx` exports**: rows of
///   (measurement, test, metric, percentile, value, iterations). The
///   median is the p50 row; its interval is the order-statistic interval
///   for the median of `iterations` samples, percentiles 50 ± 98/√n
///   (normal approximation to the binomial ranks), read off the exported
///   quantile function by linear interpolation between p25, p50 and p75.
///   The exported percentiles are all that is kept, so this interval is an
///   approximation.
public enum ResultFile {
    public static func read(_ url: URL) throws -> [MeasuredValue] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw LabError.badInput(file: url.path, line: nil, problem: "cannot read the file")
        }
        var values = try parse(text, file: url.path)
        let sidecar = SampleSidecar.url(besideCSV: url)
        if !text.hasPrefix("#"), FileManager.default.fileExists(atPath: sidecar.path) {
            let samples = try SampleSidecar.read(sidecar)
            // parse() yields the metrics of row 1, then row 2, …, in the same order every time.
            let table = CSVTable.parse(text)!
            let perRow = values.count / max(1, table.rows.count)
            for i in values.indices {
                let key = SampleSidecar.Key(row: i / max(1, perRow) + 1, metric: values[i].metric)
                let medianCell = table.rows[key.row - 1][table.columns.firstIndex(of: values[i].metric + "_median")!]
                if let kept = samples[key], kept.median == medianCell { values[i].samples = kept.samples }
            }
        }
        return values
    }

    /// A median column with no interval beside it (no `_ci_low`/`_ci_high`
    /// and no `_min`/`_max`) cannot be judged and is left out.
    public static func parse(_ text: String, file: String) throws -> [MeasuredValue] {
        // Influx exports start with a `#datatype` annotation line.
        if text.hasPrefix("#") {
            // Annotation lines become empty lines, so line numbers stay the file's.
            let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
                .map { $0.hasPrefix("#") ? "" : $0 }
            let first = (lines.firstIndex { !$0.isEmpty } ?? 0)
            do {
                return try influx(try CSVTable.parseChecked(lines[first...].joined(separator: "\n")), file: file, firstLine: first + 1)
            } catch let problem as CSVTable.ParseProblem {
                throw LabError.badInput(file: file, line: problem.line + first, problem: "not a well-formed CSV: \(problem.problem)")
            }
        }
        do {
            return try caplab(try CSVTable.parseChecked(text), file: file)
        } catch let problem as CSVTable.ParseProblem {
            throw LabError.badInput(file: file, line: problem.line, problem: "not a well-formed CSV: \(problem.problem)")
        }
    }

    static func caplab(_ table: CSVTable, file: String) throws -> [MeasuredValue] {
        let index = try columnIndex(table, file: file)
        let medians = table.columns.filter { $0.hasSuffix("_median") }.map { String($0.dropLast("_median".count)) }
        let hasInterval = { (m: String) in
            (index[m + "_ci_low"] != nil && index[m + "_ci_high"] != nil) || (index[m + "_min"] != nil && index[m + "_max"] != nil)
        }
        let metrics = medians.filter(hasInterval)
        guard !metrics.isEmpty else {
            throw LabError.badInput(file: file, line: 1, problem: "no `<metric>_median` column with an interval (`_ci_low`/`_ci_high` or `_min`/`_max`): nothing to compare")
        }
        let suffixes = ["_median", "_ci_low", "_ci_high", "_min", "_max"]
        let grouped = Set(medians.flatMap { m in suffixes.map { m + $0 } })
        let keyColumns = table.columns.filter { !grouped.contains($0) }
        var values: [MeasuredValue] = []
        var firstRow: [[String]: Int] = [:]
        for (r, row) in table.rows.enumerated() {
            let key = Dictionary(uniqueKeysWithValues: keyColumns.map { ($0, row[index[$0]!]) })
            let identity = keyColumns.map { row[index[$0]!] }
            if let first = firstRow.updateValue(r + 2, forKey: identity) {
                throw LabError.badInput(file: file, line: r + 2, problem: "duplicate row: the same \(keyColumns.joined(separator: ", ")) as row \(first); each point must appear once")
            }
            for metric in metrics {
                let (lowName, highName) = index[metric + "_ci_low"] != nil && index[metric + "_ci_high"] != nil ? ("_ci_low", "_ci_high") : ("_min", "_max")
                func number(_ suffix: String) throws -> Double {
                    guard let i = index[metric + suffix] else {
                        throw LabError.badInput(file: file, line: 1, problem: "column \(metric + suffix) is missing beside \(metric)_median")
                    }
                    guard let v = Double(row[i]), v.isFinite else {
                        throw LabError.badInput(file: file, line: r + 2, problem: "\(metric + suffix) '\(row[i])' is not a finite number")
                    }
                    // Medians are times, counts or rates: a negative one is a broken file, not a measurement.
                    guard suffix != "_median" || v >= 0 else {
                        throw LabError.badInput(file: file, line: r + 2, problem: "\(metric)_median is \(row[i]); expected a value ≥ 0")
                    }
                    return v
                }
                values.append(MeasuredValue(key: key, metric: metric, median: try number("_median"), low: try number(lowName), high: try number(highName)))
            }
        }
        return values
    }

    static func influx(_ table: CSVTable, file: String, firstLine: Int = 2) throws -> [MeasuredValue] {
        let needed = ["measurement", "metric", "test", "percentile", "value", "iterations"]
        for column in needed where !table.columns.contains(column) {
            throw LabError.badInput(file: file, line: firstLine, problem: "influx export lacks column `\(column)`")
        }
        let index = try columnIndex(table, file: file)
        struct Series { var percentiles: [Double: Double] = [:]; var iterations = 0; var unit = "" }
        var series: [[String]: Series] = [:]
        var order: [[String]] = []
        for (r, row) in table.rows.enumerated() {
            let id = [row[index["measurement"]!], row[index["test"]!], row[index["metric"]!]]
            guard let p = Double(row[index["percentile"]!]), let v = Double(row[index["value"]!]), let n = Int(row[index["iterations"]!]),
                  p.isFinite, v.isFinite, v >= 0, n >= 1 else {
                throw LabError.badInput(file: file, line: r + firstLine + 1, problem: "percentile, value (≥ 0) and iterations (≥ 1) must be finite numbers")
            }
            if series[id] == nil { order.append(id) }
            if series[id]?.percentiles[p] != nil {
                throw LabError.badInput(file: file, line: r + firstLine + 1, problem: "duplicate row: \(id[1]) \(id[2]) p\(p) appears twice")
            }
            series[id, default: Series()].percentiles[p] = v
            series[id]!.iterations = n
            if let u = index["unit"] { series[id]!.unit = row[u] }
        }
        return try order.map { id in
            let s = series[id]!
            guard let p50 = s.percentiles[50], let p25 = s.percentiles[25], let p75 = s.percentiles[75] else {
                throw LabError.badInput(file: file, line: nil, problem: "\(id[1]) \(id[2]): p25, p50 and p75 rows are needed")
            }
            let delta = min(25, 98 / Double(max(s.iterations, 1)).squareRoot())
            let low = p50 - (p50 - p25) * delta / 25
            let high = p50 + (p75 - p50) * delta / 25
            return MeasuredValue(key: ["measurement": id[0], "test": id[1]], metric: id[2], median: p50, low: low, high: high)
        }
    }

    /// Column name → position; a repeated column name is an error, not a crash.
    static func columnIndex(_ table: CSVTable, file: String) throws -> [String: Int] {
        var index: [String: Int] = [:]
        for (i, column) in table.columns.enumerated() {
            guard index.updateValue(i, forKey: column) == nil else {
                throw LabError.badInput(file: file, line: 1, problem: "column `\(column)` appears twice in the header")
            }
        }
        return index
    }
}
