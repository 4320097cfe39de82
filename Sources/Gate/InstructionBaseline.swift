import Foundation
import Lab

/// `Benchmarks/Baselines/instructions.csv`: one row per kernel, sorted by
/// name, reviewable in a diff:
///
///     kernel,instructions_per_op,spread_pct,repeats,tolerance_pct,counter
///
/// `spread_pct` is (max − min) / median of `repeats` counts of unchanged
/// code (`gate baseline --repeat R`), the noise the tolerance is scaled
/// from; `tolerance_pct` is a per-kernel override (empty: the default
/// rule); `counter` is the tool that counted (callgrind or perf — their
/// counts are not interchangeable). Files with only the first two columns
/// (before spreads were kept) still read: spread 0, one repeat, callgrind.
public struct InstructionBaseline: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var kernel: String
        public var instructionsPerOp: Double
        public var spreadPercent: Double
        public var repeats: Int
        public var tolerancePercent: Double?
        public var counter: InstructionCounter.Tool

        public init(kernel: String, instructionsPerOp: Double, spreadPercent: Double = 0, repeats: Int = 1,
                    tolerancePercent: Double? = nil, counter: InstructionCounter.Tool = .callgrind) {
            self.kernel = kernel
            self.instructionsPerOp = instructionsPerOp
            self.spreadPercent = spreadPercent
            self.repeats = repeats
            self.tolerancePercent = tolerancePercent
            self.counter = counter
        }
    }

    public static let columns = ["kernel", "instructions_per_op", "spread_pct", "repeats", "tolerance_pct", "counter"]
    static let legacyColumns = Array(columns.prefix(2))

    /// Rows sorted by kernel name.
    public private(set) var rows: [Row]

    public init(_ rows: [Row]) { self.rows = rows.sorted { $0.kernel < $1.kernel } }

    public subscript(kernel: String) -> Row? { rows.first { $0.kernel == kernel } }

    public static func read(_ url: URL) throws -> InstructionBaseline {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw LabError.badInput(file: url.path, line: nil, problem: "cannot read the baseline file")
        }
        guard let table = CSVTable.parse(text), table.columns == columns || table.columns == legacyColumns else {
            throw LabError.badInput(file: url.path, line: 1, problem: "expected a CSV with header `\(columns.joined(separator: ","))` (or the older `\(legacyColumns.joined(separator: ","))`)")
        }
        var rows: [Row] = []
        for (index, cells) in table.rows.enumerated() {
            func bad(_ problem: String) -> LabError { .badInput(file: url.path, line: index + 2, problem: problem) }
            guard let value = Double(cells[1]), value.isFinite, value >= 0 else { throw bad("instructions_per_op '\(cells[1])' is not a non-negative number") }
            var row = Row(kernel: cells[0], instructionsPerOp: value)
            if cells.count == columns.count {
                guard let spread = Double(cells[2]), spread.isFinite, spread >= 0 else { throw bad("spread_pct '\(cells[2])' is not a non-negative number") }
                guard let repeats = Int(cells[3]), repeats >= 1 else { throw bad("repeats '\(cells[3])' is not a positive integer") }
                guard let counter = InstructionCounter.Tool(rawValue: cells[5]) else { throw bad("counter '\(cells[5])' is not callgrind or perf") }
                row.spreadPercent = spread
                row.repeats = repeats
                row.counter = counter
                if !cells[4].isEmpty {
                    guard let tolerance = Double(cells[4]), tolerance.isFinite, tolerance >= 0 else { throw bad("tolerance_pct '\(cells[4])' is not a non-negative number") }
                    row.tolerancePercent = tolerance
                }
            }
            guard !rows.contains(where: { $0.kernel == row.kernel }) else { throw bad("kernel '\(row.kernel)' appears twice") }
            rows.append(row)
        }
        return InstructionBaseline(rows)
    }

    /// The baseline after re-measuring some kernels: their rows are
    /// replaced (keeping a per-kernel tolerance set by hand), every other row stays.
    public func merging(_ measured: [Row]) -> InstructionBaseline {
        var byKernel = Dictionary(uniqueKeysWithValues: rows.map { ($0.kernel, $0) })
        for var row in measured {
            if row.tolerancePercent == nil { row.tolerancePercent = byKernel[row.kernel]?.tolerancePercent }
            byKernel[row.kernel] = row
        }
        return InstructionBaseline(Array(byKernel.values))
    }

    public func rendered() -> String {
        var table = CSVTable(columns: Self.columns)
        for row in rows {
            table.append([
                row.kernel, Cell.fixed(row.instructionsPerOp, 2), Cell.fixed(row.spreadPercent, 4), String(row.repeats),
                row.tolerancePercent.map { Cell.fixed($0, 2) } ?? "", row.counter.rawValue,
            ])
        }
        return table.rendered()
    }

    public func write(to url: URL) throws {
        try AtomicFile.ensureWritableDirectory(url.deletingLastPathComponent())
        try AtomicFile.write(rendered(), to: url)
    }
}
