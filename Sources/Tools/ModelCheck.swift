import Consistency
import Foundation

/// `caplab check FILE --model cas-register|kv|set` (or inferred): reads a
/// history as a ``ModelHistory`` and checks it with ``ModelChecker``.
/// Exit statuses as ``HistoryCheck``: 0, 1, 2, and 65 for unreadable input.
enum ModelCheck {
    static func run(path: String, model: ModelKind?, stepBudgetPerKey: Int, memoBytesPerKey: Int) -> HistoryCheck.Outcome {
        func failure(_ message: String) -> HistoryCheck.Outcome {
            HistoryCheck.Outcome(status: 65, stdout: "", stderr: "caplab check: error: \(path)\(message)\n")
        }
        guard let data = FileManager.default.contents(atPath: path) else { return failure(": cannot read the file") }
        let report: ModelChecker.Report
        let history: ModelHistory
        let why: String
        do {
            history = try ModelHistory.parse([UInt8](data))
            guard !history.events.isEmpty else { return failure(": no client operations to check; an empty history has no verdict") }
            let kind: ModelKind
            if let model {
                (kind, why) = (model, "--model \(model.rawValue)")
            } else {
                let inferred = try ModelKind.infer(history)
                (kind, why) = (inferred.kind, "inferred: " + inferred.reason)
            }
            report = try kind.check(history, with: ModelChecker(stepBudgetPerKey: stepBudgetPerKey, memoBytesPerKey: memoBytesPerKey))
        } catch let error as HistoryError {
            return failure(":\(error.location): \(error.message)")
        } catch {
            return failure(": \(error)")
        }
        var out = report.rendered() + "model: \(report.model) (\(why))\n"
        if history.skippedNemesisEvents > 0 {
            out += "skipped \(history.skippedNemesisEvents) :nemesis events (fault injection, not client operations)\n"
        }
        let status: Int32 = report.verdict == .linearizable ? 0 : report.verdict == .notLinearizable ? 1 : 2
        return HistoryCheck.Outcome(status: status, stdout: out, stderr: "")
    }

    /// The outcome under an inferred non-register model, or nil when the file
    /// does not read as one (the register reader's error then stands).
    static func inferred(path: String, stepBudgetPerKey: Int, memoBytesPerKey: Int) -> HistoryCheck.Outcome? {
        guard let data = FileManager.default.contents(atPath: path),
              let history = try? ModelHistory.parse([UInt8](data)),
              let kind = try? ModelKind.infer(history).kind, kind != .register else { return nil }
        return run(path: path, model: nil, stepBudgetPerKey: stepBudgetPerKey, memoBytesPerKey: memoBytesPerKey)
    }
}
