import Foundation
import Lab

/// The decision of the instruction-count gate: for every kernel, its
/// baseline instructions per operation, what was measured now, the change,
/// the tolerance it was held to, and the verdict.
///
/// A kernel's tolerance is its baseline row's `tolerance_pct` if set, else
/// a fixed `--tolerance-percent` if given, else `spreadMultiple ×` the
/// spread measured on unchanged code, floored at `floorPercent` (callgrind
/// repeats exactly, so the floor is what holds there; perf's counts move).
/// A regression beyond the tolerance fails (exit 1); a kernel with no
/// baseline row, a row whose kernel is gone, or a row counted by another
/// tool is a missing/stale baseline (exit 3); an improvement beyond the
/// tolerance passes but asks for a new baseline, and fails (exit 2) only
/// when asked to, so the next regression is measured from the better figure.
public struct RegressionGate: Sendable {
    public struct Policy: Sendable {
        public var floorPercent: Double = 1
        public var spreadMultiple: Double = 5
        /// One tolerance for every kernel without its own (the pre-spread behaviour).
        public var fixedPercent: Double?
        public var failOnImprovement = false

        public init(floorPercent: Double = 1, spreadMultiple: Double = 5, fixedPercent: Double? = nil, failOnImprovement: Bool = false) {
            self.floorPercent = floorPercent
            self.spreadMultiple = spreadMultiple
            self.fixedPercent = fixedPercent
            self.failOnImprovement = failOnImprovement
        }

        public func tolerancePercent(_ row: InstructionBaseline.Row) -> Double {
            row.tolerancePercent ?? fixedPercent ?? max(floorPercent, spreadMultiple * row.spreadPercent)
        }
    }

    public struct Row: Sendable, Equatable {
        public let kernel: String
        public let baseline: Double?
        public let now: Double?
        public let tolerancePercent: Double?
        public let outcome: VerdictReport.Outcome
        public let fails: Bool
        public let message: String

        /// Relative change now/baseline − 1, when both exist.
        public var change: Double? {
            guard let baseline, let now, baseline > 0 else { return nil }
            return now / baseline - 1
        }
    }

    public let rows: [Row]
    public let counter: InstructionCounter.Tool
    public var failingKernels: [String] { rows.filter(\.fails).map(\.kernel) }

    /// - Parameter measured: instructions per operation now, by kernel.
    public init(baseline: InstructionBaseline, measured: [(kernel: String, instructionsPerOp: Double)],
                counter: InstructionCounter.Tool, policy: Policy) {
        var rows: [Row] = []
        for (kernel, now) in measured.sorted(by: { $0.kernel < $1.kernel }) {
            guard let base = baseline[kernel] else {
                rows.append(Row(kernel: kernel, baseline: nil, now: now, tolerancePercent: nil, outcome: .missingBaseline, fails: true,
                                message: "no baseline row: run `caplab gate baseline --kernel \(kernel)`"))
                continue
            }
            let tolerance = policy.tolerancePercent(base)
            guard base.counter == counter else {
                rows.append(Row(kernel: kernel, baseline: base.instructionsPerOp, now: now, tolerancePercent: tolerance, outcome: .missingBaseline, fails: true,
                                message: "baseline counted by \(base.counter.rawValue), now by \(counter.rawValue): re-baseline, or use --counter \(base.counter.rawValue)"))
                continue
            }
            let limit = tolerance / 100
            let change = base.instructionsPerOp > 0 ? now / base.instructionsPerOp - 1 : (now > 0 ? Double.infinity : 0)
            let percent = String(format: "%+.2f%%", change * 100)
            if change > limit {
                rows.append(Row(kernel: kernel, baseline: base.instructionsPerOp, now: now, tolerancePercent: tolerance, outcome: .regression, fails: true,
                                message: "\(kernel): \(percent) instructions/op, above the \(Cell.fixed(tolerance, 2)) % tolerance"))
            } else if change < -limit {
                rows.append(Row(kernel: kernel, baseline: base.instructionsPerOp, now: now, tolerancePercent: tolerance, outcome: .improvement,
                                fails: policy.failOnImprovement,
                                message: "\(kernel): \(percent) instructions/op: record a new baseline (`caplab gate baseline --kernel \(kernel)`)"))
            } else {
                rows.append(Row(kernel: kernel, baseline: base.instructionsPerOp, now: now, tolerancePercent: tolerance, outcome: .pass, fails: false,
                                message: "\(kernel): \(percent), within \(Cell.fixed(tolerance, 2)) %"))
            }
        }
        let measuredNames = Set(measured.map(\.kernel))
        for base in baseline.rows where !measuredNames.contains(base.kernel) {
            rows.append(Row(kernel: base.kernel, baseline: base.instructionsPerOp, now: nil, tolerancePercent: policy.tolerancePercent(base),
                            outcome: .missingBaseline, fails: true,
                            message: "stale baseline row: the program no longer lists \(base.kernel); re-baseline to drop it"))
        }
        self.rows = rows
        self.counter = counter
    }

    /// The report `gate check` prints, in any format.
    public func report(notes: [String] = []) -> VerdictReport {
        let cases = rows.map { row in
            VerdictReport.Case(
                name: row.kernel, outcome: row.outcome, fails: row.fails,
                cells: [
                    row.kernel,
                    row.baseline.map { Cell.fixed($0, 2) } ?? "-",
                    row.now.map { Cell.fixed($0, 2) } ?? "-",
                    row.change.map { String(format: "%+.2f%%", $0 * 100) } ?? "-",
                    row.tolerancePercent.map { Cell.fixed($0, 2) + "%" } ?? "-",
                    Self.verdictText(row),
                ],
                message: row.message)
        }
        return VerdictReport(
            title: "caplab gate", columns: ["kernel", "baseline_instr_op", "now_instr_op", "change", "tolerance", "verdict"],
            cases: cases, notes: ["instructions counted by \(counter.rawValue)"] + notes)
    }

    static func verdictText(_ row: Row) -> String {
        switch row.outcome {
        case .pass: return "ok"
        case .regression: return "REGRESSION"
        case .improvement: return row.fails ? "IMPROVED: record a new baseline" : "improved: record a new baseline"
        case .missingBaseline: return row.now == nil ? "STALE BASELINE ROW" : (row.baseline == nil ? "NO BASELINE" : "STALE BASELINE (other counter)")
        }
    }
}
