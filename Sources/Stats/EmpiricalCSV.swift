import Foundation

/// Reads an empirical latency distribution from CSV text.
///
/// Two shapes, told apart by the number of columns:
/// - one column: raw samples in milliseconds, one per line;
/// - two columns: `percentile,ms` — percentile in (0, 100], strictly
///   increasing, with non-decreasing values.
///
/// A first line that is not numeric is a header and is skipped; blank lines
/// and lines starting with `#` are ignored. Every error names the source,
/// the line and what was expected.
public enum EmpiricalCSV {
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let source: String
        public let line: Int
        public let message: String
        public var description: String { "\(source):\(line): \(message)" }
    }

    public static func load(path: String) throws -> EmpiricalQuantiles {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ParseError(source: path, line: 0, message: "cannot read the file")
        }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }

    public static func parse(_ text: String, source: String) throws -> EmpiricalQuantiles {
        var samples: [Double] = []
        var percentiles: [(percentile: Double, value: Double)] = []
        var columns: Int?
        var sawData = false
        for (offset, raw) in TextLines.lines(text).enumerated() {
            let lineNumber = offset + 1
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let numbers = fields.map { Double($0) }
            if numbers.contains(where: { $0 == nil }) {
                if !sawData && columns == nil { columns = fields.count; continue } // header
                throw ParseError(source: source, line: lineNumber, message: "expected numbers, got '\(line)'")
            }
            let width = columns ?? fields.count
            columns = width
            guard fields.count == width, width == 1 || width == 2 else {
                throw ParseError(source: source, line: lineNumber,
                                 message: "expected 1 column (samples in ms) or 2 columns (percentile,ms) on every line, got \(fields.count)")
            }
            sawData = true
            let values = numbers.map { $0! }
            guard values.allSatisfy({ $0.isFinite }) else {
                throw ParseError(source: source, line: lineNumber, message: "expected finite numbers")
            }
            if width == 1 {
                guard values[0] >= 0 else { throw ParseError(source: source, line: lineNumber, message: "expected a latency ≥ 0 ms, got \(values[0])") }
                samples.append(values[0])
            } else {
                let (p, x) = (values[0], values[1])
                guard p > 0 && p <= 100 else {
                    throw ParseError(source: source, line: lineNumber, message: "expected a percentile in (0, 100], got \(p)")
                }
                guard x >= 0 else { throw ParseError(source: source, line: lineNumber, message: "expected a latency ≥ 0 ms, got \(x)") }
                if let previous = percentiles.last {
                    guard p > previous.percentile else {
                        throw ParseError(source: source, line: lineNumber, message: "percentiles must increase: \(p) after \(previous.percentile)")
                    }
                    guard x >= previous.value else {
                        throw ParseError(source: source, line: lineNumber, message: "latencies must not decrease with the percentile: \(x) after \(previous.value)")
                    }
                }
                percentiles.append((p, x))
            }
        }
        if !samples.isEmpty { return EmpiricalQuantiles(samples: samples) }
        if !percentiles.isEmpty { return EmpiricalQuantiles(percentiles: percentiles) }
        throw ParseError(source: source, line: 0, message: "no data: expected samples (one column) or percentile,ms rows")
    }
}
