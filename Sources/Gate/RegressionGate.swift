import Foundation
import Lab

/// The decision of the instruction-count gate: for every kernel, its
/// baseline instructions per operation, what was measured now, the change,
/// and whether that fails the build.
///
/// The gate fails on a regression beyond the tolerance and on a kernel
/// with no baseline (a new kernel must be baselined deliberately). An
/// improvement beyond the tolerance passes but asks for a new baseline, so
/// the next regression is measured from the better figure. A baseline row
/// whose kernel no longer exists is reported and does not fail.
public struct RegressionGate: Sendable {
    public enum Verdict: String, Sendable {
        case unchanged = "ok"
        case regression = "REGRESSION"
        case improvement = "improved: run `make bench-baseline`"
        case missingBaseline = "NO BASELINE: run `make bench-baseline`"
        case notMeasured = "stale baseline row (kernel no longer exists)"

        public var fails: Bool { self == .regression || self == .missingBaseline }
    }

    public struct Row: Sendable, Equatable {
        public let kernel: String
        public let baseline: Double?
        public let now: Double?
        public let verdict: Verdict

        /// Relative change now/baseline − 1, when both exist.
        public var change: Double? {
            guard let baseline, let now, baseline > 0 else { return nil }
            return now / baseline - 1
        }
    }

    public let rows: [Row]
    public var failed: Bool { rows.contains { $0.verdict.fails } }
    public var failingKernels: [String] { rows.filter { $0.verdict.fails }.map(\.kernel) }

    /// - Parameters:
    ///   - tolerance: allowed relative increase (0.02 for 2 %).
    public init(baseline: [String: Double], measured: [(kernel: String, instructionsPerOp: Double)], tolerance: Double) {
        var rows: [Row] = []
        for (kernel, now) in measured {
            guard let base = baseline[kernel] else {
                rows.append(Row(kernel: kernel, baseline: nil, now: now, verdict: .missingBaseline))
                continue
            }
            let verdict: Verdict
            if now > base * (1 + tolerance) {
                verdict = .regression
            } else if now < base * (1 - tolerance) {
                verdict = .improvement
            } else {
                verdict = .unchanged
            }
            rows.append(Row(kernel: kernel, baseline: base, now: now, verdict: verdict))
        }
        let measuredNames = Set(measured.map(\.kernel))
        for kernel in baseline.keys.sorted() where !measuredNames.contains(kernel) {
            rows.append(Row(kernel: kernel, baseline: baseline[kernel], now: nil, verdict: .notMeasured))
        }
        self.rows = rows
    }

    /// The gate's report as an aligned table.
    public func table() -> String {
        var table = CSVTable(columns: ["kernel", "baseline_instr_op", "now_instr_op", "change", "verdict"])
        for row in rows {
            table.append([
                row.kernel,
                row.baseline.map { Cell.fixed($0, 2) } ?? "-",
                row.now.map { Cell.fixed($0, 2) } ?? "-",
                row.change.map { String(format: "%+.2f%%", $0 * 100) } ?? "-",
                row.verdict.rawValue,
            ])
        }
        return TextTable.render(table)
    }
}

/// `Benchmarks/Baselines/instructions.csv`: one row per kernel,
/// `kernel,instructions_per_op`.
public enum InstructionBaseline {
    public static let columns = ["kernel", "instructions_per_op"]

    public static func read(_ url: URL) throws -> [String: Double] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw LabError.badInput(file: url.path, line: nil, problem: "cannot read the baseline file")
        }
        guard let table = CSVTable.parse(text), table.columns == columns else {
            throw LabError.badInput(file: url.path, line: 1, problem: "expected a CSV with header `\(columns.joined(separator: ","))`")
        }
        var baseline: [String: Double] = [:]
        for (index, row) in table.rows.enumerated() {
            guard let value = Double(row[1]), value >= 0 else {
                throw LabError.badInput(file: url.path, line: index + 2, problem: "instructions_per_op '\(row[1])' is not a non-negative number")
            }
            guard baseline.updateValue(value, forKey: row[0]) == nil else {
                throw LabError.badInput(file: url.path, line: index + 2, problem: "kernel '\(row[0])' appears twice")
            }
        }
        return baseline
    }

    /// The baseline after re-measuring some kernels: `measured` replaces their
    /// rows, every other row of `existing` stays; rows come in `order` (the
    /// registry's), then rows of kernels it no longer knows, by name.
    public static func merging(_ measured: [(kernel: String, instructionsPerOp: Double)], into existing: [String: Double],
                               order: [String]) -> [(kernel: String, instructionsPerOp: Double)] {
        var values = existing
        for (kernel, value) in measured { values[kernel] = value }
        let known = order.filter { values[$0] != nil }
        let unknown = values.keys.filter { !order.contains($0) }.sorted()
        return (known + unknown).map { ($0, values[$0]!) }
    }

    public static func write(_ measured: [(kernel: String, instructionsPerOp: Double)], to url: URL) throws {
        var table = CSVTable(columns: columns)
        for (kernel, value) in measured { table.append([kernel, Cell.fixed(value, 2)]) }
        try AtomicFile.ensureWritableDirectory(url.deletingLastPathComponent())
        try AtomicFile.write(table.rendered(), to: url)
    }
}
