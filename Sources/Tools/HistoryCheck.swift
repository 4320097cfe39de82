import Consistency
import Foundation
import Lab

/// `caplab check FILE`: reads a history (JSON lines or Jepsen EDN), checks
/// it for linearizability key by key, and says what it found, then how
/// stale it is (``StalenessReport``: smallest Δ per key, versions behind).
public enum HistoryCheck {
    /// Exit statuses: 0 linearizable, 1 not linearizable, 2 unknown (a key
    /// exhausted its search budget), 65 unreadable input or a history with no client operation (EX_DATAERR), 130 interrupted.
    public struct Outcome: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// `stepBudgetPerKey` and `memoBytesPerKey`: ``LinearizabilityChecker``'s budgets (`--budget`, `--memo-mb`);
    /// `usesZones`: false for `--search-only`.
    /// `timeBudgetPerKeyNanoseconds`, `memoryBytesPerKey`: budgets checked inside the search;
    /// `interrupted`: true once SIGINT arrived (status 130, what was decided so far is printed);
    /// `clock`: monotonic nanoseconds (tests inject one).
    /// `model`: `--model`; nil infers it (``ModelKind/infer(_:)``). Registers go to
    /// ``LinearizabilityChecker``, other models to ``ModelCheck`` (the same budgets, interrupt and page).
    public static func run(path: String, stepBudgetPerKey: Int, memoBytesPerKey: Int, usesZones: Bool = true,
                           timeBudgetPerKeyNanoseconds: UInt64? = nil, memoryBytesPerKey: Int = .max,
                           interrupted: @escaping @Sendable () -> Bool = { false },
                           clock: (@Sendable () -> UInt64)? = nil, htmlPath: String? = nil, model: ModelKind? = nil) -> Outcome {
        let modelSettings = ModelCheck.Settings(stepBudgetPerKey: stepBudgetPerKey, memoBytesPerKey: memoBytesPerKey,
                                                timeBudgetPerKeyNanoseconds: timeBudgetPerKeyNanoseconds, memoryBytesPerKey: memoryBytesPerKey,
                                                interrupted: interrupted, clock: clock, htmlPath: htmlPath)
        if let model, model != .register {
            return ModelCheck.run(path: path, model: model, settings: modelSettings)
        }
        var checker = LinearizabilityChecker(stepBudgetPerKey: stepBudgetPerKey, memoBytesPerKey: memoBytesPerKey, usesZones: usesZones)
        checker.timeBudgetPerKeyNanoseconds = timeBudgetPerKeyNanoseconds
        checker.memoryBytesPerKey = memoryBytesPerKey
        checker.interrupted = interrupted
        if let clock { checker.clock = clock }
        var data = FileManager.default.contents(atPath: path)
        guard data != nil else {
            return Outcome(status: 65, stdout: "", stderr: "caplab check: error: \(path): cannot read the file\n")
        }
        let report: LinearizabilityChecker.Report
        var staleness: StalenessReport?
        let history: History
        do {
            // Read in place (no second copy of the file) when the file is canonical JSON lines.
            history = try data!.withUnsafeBytes { try HistoryFormat.parse(contiguous: $0) }
            data = nil // the file's bytes are not needed past here (a 10⁶-operation file is ~170 MB)
            guard !history.events.isEmpty else {
                let skipped = history.skippedNemesisEvents > 0 ? " (only \(history.skippedNemesisEvents) :nemesis events, which are skipped)" : ""
                return Outcome(status: 65, stdout: "", stderr: "caplab check: error: \(path): no client operations to check\(skipped); an empty history has no verdict\n")
            }
            // Paired and split by key once, for the verdict and the staleness report.
            let keyed = try KeyedOperations(history)
            report = checker.check(keyed)
            if !report.interrupted { staleness = StalenessReport(history, keyed: keyed) }
        } catch let error as HistoryError {
            if model == nil, let other = ModelCheck.inferred(path: path, settings: modelSettings) {
                return other
            }
            return Outcome(status: 65, stdout: "", stderr: "caplab check: error: \(path):\(error.location): \(error.message)\n")
        } catch {
            return Outcome(status: 65, stdout: "", stderr: "caplab check: error: \(path): \(error)\n")
        }
        let status: Int32
        switch report.verdict {
        case _ where report.interrupted: status = 130
        case .linearizable: status = 0
        case .notLinearizable: status = 1
        case .unknown: status = 2
        }
        var out = report.rendered() + (staleness?.rendered() ?? "staleness: not measured (interrupted)\n")
        if let htmlPath {
            do {
                let page = try HistoryHTML.render(history: history, report: report, checker: checker, title: "caplab check \(path)")
                try page.write(toFile: htmlPath, atomically: true, encoding: .utf8)
            } catch {
                return Outcome(status: 73, stdout: out, stderr: "caplab check: error: \(htmlPath): cannot write the page: \(error)\n")
            }
        }
        if history.skippedNemesisEvents > 0 {
            out += "skipped \(history.skippedNemesisEvents) :nemesis events (fault injection, not client operations)\n"
        }
        out += "model: register (\(model == nil ? "inferred: every operation is :read or :write" : "--model register"))\n"
        return Outcome(status: status, stdout: out, stderr: "")
    }
}
