import Consistency
import Foundation

/// `caplab check FILE --model cas-register|kv|set` (or inferred): reads a
/// history as a ``ModelHistory`` and checks it with ``ModelChecker``, within
/// the same budgets as registers (steps, time, memory, checked inside the
/// search) and stopping at SIGINT with what was decided so far.
/// Exit statuses as ``HistoryCheck``: 0, 1, 2, 65 for unreadable input, 73
/// for an unwritable page, 130 interrupted.
enum ModelCheck {
    /// The budgets and hooks of one check (``HistoryCheck/run(path:stepBudgetPerKey:memoBytesPerKey:usesZones:timeBudgetPerKeyNanoseconds:memoryBytesPerKey:interrupted:clock:htmlPath:model:)``'s).
    struct Settings {
        var stepBudgetPerKey: Int
        var memoBytesPerKey: Int
        var timeBudgetPerKeyNanoseconds: UInt64?
        var memoryBytesPerKey: Int
        var interrupted: @Sendable () -> Bool
        var clock: (@Sendable () -> UInt64)?
        var htmlPath: String?

        var checker: ModelChecker {
            var checker = ModelChecker(stepBudgetPerKey: stepBudgetPerKey, memoBytesPerKey: memoBytesPerKey)
            checker.timeBudgetPerKeyNanoseconds = timeBudgetPerKeyNanoseconds
            checker.memoryBytesPerKey = memoryBytesPerKey
            checker.interrupted = interrupted
            if let clock { checker.clock = clock }
            return checker
        }
    }

    static func run(path: String, model: ModelKind?, settings: Settings) -> HistoryCheck.Outcome {
        func failure(_ message: String) -> HistoryCheck.Outcome {
            HistoryCheck.Outcome(status: 65, stdout: "", stderr: "caplab check: error: \(path)\(message)\n")
        }
        guard let data = FileManager.default.contents(atPath: path) else { return failure(": cannot read the file") }
        let report: ModelChecker.Report
        let history: ModelHistory
        let operations: [ModelOperation]
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
            operations = try kind.operations(history)
            report = try kind.check(operations: operations, with: settings.checker)
        } catch let error as HistoryError {
            return failure(":\(error.location): \(error.message)")
        } catch {
            return failure(": \(error)")
        }
        var out = report.rendered() + "model: \(report.model) (\(why))\n"
        if history.skippedNemesisEvents > 0 {
            out += "skipped \(history.skippedNemesisEvents) :nemesis events (fault injection, not client operations)\n"
        }
        if let htmlPath = settings.htmlPath {
            do {
                let page = HistoryHTML.render(history: history, operations: operations, report: report, title: "caplab check \(path)")
                try page.write(toFile: htmlPath, atomically: true, encoding: .utf8)
            } catch {
                return HistoryCheck.Outcome(status: 73, stdout: out, stderr: "caplab check: error: \(htmlPath): cannot write the page: \(error)\n")
            }
        }
        let status: Int32 = report.interrupted ? 130 : report.verdict == .linearizable ? 0 : report.verdict == .notLinearizable ? 1 : 2
        return HistoryCheck.Outcome(status: status, stdout: out, stderr: "")
    }

    /// The outcome under an inferred non-register model, or nil when the file
    /// does not read as one (the register reader's error then stands).
    static func inferred(path: String, settings: Settings) -> HistoryCheck.Outcome? {
        guard let data = FileManager.default.contents(atPath: path),
              let history = try? ModelHistory.parse([UInt8](data)),
              let kind = try? ModelKind.infer(history).kind, kind != .register else { return nil }
        return run(path: path, model: nil, settings: settings)
    }
}
