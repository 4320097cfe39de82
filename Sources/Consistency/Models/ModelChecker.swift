/// Linearizability of a history against any ``DataModel``, key by key
/// (P-compositionality: Horn & Kroening, FORTE 2015), each key by
/// ``ModelSearch`` within a step budget and a memo byte bound.
///
/// A `fail` operation never took effect and is dropped; an `info` (or
/// never completed) one may take effect at any time after its invocation
/// or never: its return entry sits after every other entry and the model
/// allows its step in every state (``DataModel/step(for:)``).
///
/// - Complexity: exponential in the worst case (Gibbons & Korach 1997);
///   about O(n · c) steps on real histories of n operations per key and
///   concurrency c, each one `apply` and one state hash.
public struct ModelChecker: Sendable {
    public var stepBudgetPerKey: Int
    public var memoBytesPerKey: Int

    public init(stepBudgetPerKey: Int = 20_000_000, memoBytesPerKey: Int = 1 << 30) {
        self.stepBudgetPerKey = stepBudgetPerKey
        self.memoBytesPerKey = memoBytesPerKey
    }

    /// A key no order explains: the operation whose completion the search
    /// could not get past, and the operations concurrent with it.
    public struct Failure: Sendable {
        public let key: HistoryKey
        public let operations: Int
        public let blocking: ModelOperation
        /// Operations of the key whose interval overlaps `blocking`'s (at most 12, by invocation).
        public let concurrent: [ModelOperation]
    }

    public struct Report: Sendable {
        public var model = ""
        public var verdict: LinearizabilityChecker.Verdict = .linearizable
        public var keys = 0
        public var operations = 0
        public var failures: [Failure] = []
        public var unknownKeys: [(key: HistoryKey, steps: Int)] = []
        public var steps = 0
        public var memoFullKeys = 0
    }

    public func check<M: DataModel>(_ operations: [ModelOperation], as model: M.Type) throws -> Report {
        var byKey: [HistoryKey: [ModelOperation]] = [:]
        for op in operations where op.outcome != .fail { byKey[op.key, default: []].append(op) }
        var report = Report()
        report.model = M.name
        report.operations = operations.count
        report.keys = byKey.count
        for key in byKey.keys.sorted() {
            let ops = byKey[key]!.sorted { $0.invokePosition < $1.invokePosition }
            var kept: [ModelOperation] = []
            var search: [ModelSearch.Operation<M.Step>] = []
            for op in ops {
                guard let step = try M.step(for: op) else { continue }
                kept.append(op)
                search.append(.init(call: op.invokePosition, ret: op.completePosition, step: step))
            }
            let outcome = ModelSearch.run(M.self, search, limits: .init(steps: stepBudgetPerKey, memoBytes: memoBytesPerKey))
            report.steps += outcome.cost.steps
            if outcome.cost.memoFull { report.memoFullKeys += 1 }
            switch outcome {
            case .linearizable: break
            case .unknown(let cost): report.unknownKeys.append((key, cost.steps))
            case .notLinearizable(_, let blocking):
                let blocker = kept.first { $0.completePosition == blocking } ?? kept[0]
                let around = kept.filter { $0.invokePosition < blocker.completePosition && $0.completePosition > blocker.invokePosition }
                report.failures.append(Failure(key: key, operations: kept.count, blocking: blocker, concurrent: Array(around.prefix(12))))
            }
        }
        report.verdict = !report.failures.isEmpty ? .notLinearizable : report.unknownKeys.isEmpty ? .linearizable : .unknown
        return report
    }
}

extension ModelChecker.Report {
    /// The verdict line, then each failing key with the operations around
    /// the one no order gets past, then the totals.
    public func rendered() -> String {
        func describe(_ op: ModelOperation) -> String {
            let lines = op.completeLine > 0 ? "lines \(op.invokeLine)-\(op.completeLine)" : "line \(op.invokeLine) (no completion)"
            let result = op.outcome == .ok && op.output != .null && op.output != op.input ? " -> \(op.output)" : ""
            return "\(lines)  process \(op.process)  :\(op.function) \(op.input)\(result)  \(op.outcome.rawValue)"
        }
        var out = verdict.rawValue + "\n"
        for f in failures {
            out += "key \(f.key): no order of its \(f.operations) operations gets past the completion on line \(f.blocking.completeLine) (\(describe(f.blocking))); operations concurrent with it:\n"
            for op in f.concurrent { out += "  " + describe(op) + "\n" }
        }
        for (key, steps) in unknownKeys { out += "key \(key): unknown after \(steps) search steps (raise --budget)\n" }
        out += "checked \(keys) keys, \(operations) operations against the \(model) model, \(steps) search steps"
        if memoFullKeys > 0 { out += ", memo full on \(memoFullKeys) keys" }
        return out + "\n"
    }
}
