/// The window printed for a key a ``DataModel`` cannot explain: the models'
/// counterpart of the register's (``WindowFinder``), found and shrunk the
/// same way (``WindowShrink``).
///
/// A window is a set W of completed operations of one key and a base
/// position b at or before W's last invocation. It is a real violation
/// when there is no run of the model from its initial state in which
/// - every operation of W, and every other operation that completed before
///   b (the context), takes effect between its invocation and completion;
/// - every other operation invoked before W's last completion (the loose
///   ones) takes effect at any time after its invocation, or never (its
///   ``DataModel/step(for:)`` as an `info` operation; one that changes
///   nothing, a read, is left out).
///
/// Why that suffices: take any linearization of the key and cut it after
/// the last of W. The cut holds W; every context operation (it completed
/// before b, so before the last-invoked operation of W began); and only
/// operations invoked before W's last completion — the loose ones that
/// took effect there. The cut, with the loose operations it left out put
/// at the end (an `info` step is allowed in every state), is such a run.
///
/// A register's window may start from "whatever the register held"; a
/// model's state cannot be guessed, so a model's window starts from the
/// initial state, with the context (the key's history before b) replayed
/// as its times allow. Shrinking keeps b and then, when the context is short
/// (at most ``maxContextToDrop`` operations), tries b at the start of the
/// history (no context), the stronger claim.
struct ModelWindowFinder<M: DataModel> {
    /// The key's operations the search considers, by invocation, and their steps.
    let ops: [ModelOperation]
    let steps: [M.Step]
    /// Each operation's step as an `info` operation's (nil: it changes nothing).
    let looseSteps: [M.Step?]
    /// Steps left for every search the explanation runs.
    var budget: Int
    let memoBytes: Int
    /// The key's time budget and interrupt (``RegisterSearch/Limits/perKey(steps:memoBytes:memoryBytes:timeBudget:clock:interrupted:onSteps:)``'s
    /// rule), asked inside each search: once it says stop, the budget is spent and the window found so far stands.
    var shouldStop: (() -> RegisterSearch.StopReason?)?

    /// The longest context ``shrink(_:)`` tries to do without.
    static var maxContextToDrop: Int { 16 }

    struct Window {
        var members: [Int]
        /// Operations completed before this position are context; `Int.min`: none.
        var base: Int
    }

    init(ops: [ModelOperation], steps: [M.Step], budget: Int, memoBytes: Int) {
        self.ops = ops
        self.steps = steps
        // Every operation here already gave a step, so its `info` form reads too.
        looseSteps = ops.map { op in (try? M.step(for: op.indeterminate)) ?? nil }
        self.budget = budget
        self.memoBytes = memoBytes
    }

    /// The context (completed before the effective base) and the loose operations of `window`, by invocation
    /// (a loose operation that changes nothing, a read, constrains nothing and is left out).
    func surroundings(_ window: Window) -> (context: [Int], loose: [Int]) {
        guard let last = window.members.map({ ops[$0].completePosition }).max(),
              let lastCall = window.members.map({ ops[$0].invokePosition }).max() else { return ([], []) }
        let base = min(window.base, lastCall)
        let inWindow = Set(window.members)
        var context: [Int] = [], loose: [Int] = []
        for i in ops.indices where !inWindow.contains(i) {
            if ops[i].invokePosition >= last { break }
            if ops[i].completePosition < base { context.append(i) } else if looseSteps[i] != nil { loose.append(i) }
        }
        return (context, loose)
    }

    /// Whether `window` is a real violation (see the type's comment); false when the budget runs out.
    mutating func isViolation(_ window: Window) -> Bool {
        guard !window.members.isEmpty, budget > 0 else { return false }
        let (context, loose) = surroundings(window)
        var search = (window.members + context).map { ModelSearch.Operation(call: ops[$0].invokePosition, ret: ops[$0].completePosition, step: steps[$0]) }
        for i in loose { search.append(.init(call: ops[i].invokePosition, ret: Int.max, step: looseSteps[i]!)) }
        let outcome = ModelSearch.run(M.self, search, limits: .init(steps: budget, memoBytes: memoBytes, shouldStop: shouldStop))
        budget -= outcome.cost.steps
        if let reason = outcome.cost.stopReason, reason != .steps { budget = 0 }
        guard case .notLinearizable = outcome else { return false }
        return true
    }

    /// A violation ending at a cut at or after `blocking`, reaching back over
    /// exponentially more operations (the operations before them its
    /// context) until it holds; nil when the budget runs out first.
    mutating func find(blocking: Int) -> Window? {
        WindowShrink.widen(invokes: ops.map(\.invokePosition), completes: ops.map(\.completePosition), blocking: blocking) { lo, invoked, cut in
            let members = (lo..<invoked).filter { ops[$0].completePosition <= cut && ops[$0].completePosition != Int.max }
            let window = Window(members: members, base: ops[lo].invokePosition)
            if isViolation(window) { return .found(window) }
            if budget <= 0 { return .outOfBudget }
            return lo == 0 ? .nextCut : .widen
        }
    }

    /// Removes operations while the window stays a violation, then drops the
    /// context if it is not needed. Returns false if the budget ran out.
    mutating func shrink(_ window: inout Window) -> Bool {
        let base = window.base
        let shrunk = WindowShrink.shrink(&window.members, candidate: { kept, _ in kept }, isViolation: { members in
            guard budget > 0 else { return nil }
            let violation = isViolation(Window(members: members, base: base))
            return violation || budget > 0 ? violation : nil
        })
        // Without context every earlier operation turns loose, and the search may try each subset of them:
        // worth it only for a short context (a long one replayed loose can take hours on a large state).
        if window.base != Int.min && surroundings(window).context.count <= Self.maxContextToDrop
            && isViolation(Window(members: window.members, base: Int.min)) { window.base = Int.min }
        return shrunk
    }
}

extension ModelOperation {
    /// The operation as if it had completed `info`: it may take effect at any time after its invocation, or never.
    var indeterminate: ModelOperation {
        ModelOperation(process: process, key: key, function: function, input: input, output: .null, outcome: .info,
                       invokePosition: invokePosition, completePosition: Int.max, invokeLine: invokeLine, completeLine: 0)
    }

    /// `lines 3-4  process 1  :cas [1 2]  ok`, with ` -> value` for what a completion returned.
    public var summary: String {
        let lines = completeLine > 0 ? "lines \(invokeLine)-\(completeLine)" : "line \(invokeLine) (no completion)"
        let result = outcome == .ok && output != .null && output != input ? " -> \(output)" : ""
        return "\(lines)  process \(process)  :\(function) \(input)\(result)  \(outcome.rawValue)"
    }
}
