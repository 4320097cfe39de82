extension LinearizabilityChecker {
    /// The longest sequence of `operations` (one key's, any order) that the
    /// search could linearize, in linearization order — for a key that is
    /// not linearizable, how far a linearization gets before it is stuck
    /// (Porcupine's "partial linearizations"). Runs the search (Wing & Gong
    /// with Lowe's just-in-time rule) within `stepBudgetPerKey` and
    /// `memoBytesPerKey`; when the budget ends first, the longest found so far.
    /// - Complexity: at most `stepBudgetPerKey` steps.
    public func longestLinearizablePrefix(_ operations: [RegisterOperation]) -> [RegisterOperation] {
        let ops = Self.searchable(operations)
        var values = ValueTable()
        let search = ops.map { values.searchOperation($0) }
        let outcome = RegisterSearch.run(search, initial: 0, limits: .init(steps: stepBudgetPerKey, memoBytes: memoBytesPerKey))
        if case .linearizable = outcome { return [] }
        return outcome.cost.longestPrefix.map { ops[Int($0)] }
    }
}
