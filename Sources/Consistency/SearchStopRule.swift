extension RegisterSearch.Limits {
    /// The in-search budgets of one key, as the register and model checkers
    /// both set them: `steps`, `memoBytes`, `memoryBytes`, and a stop rule
    /// asked every ``RegisterSearch/checkEvery`` steps — interrupted first,
    /// then `timeBudget` nanoseconds of `clock` from now (the key's start).
    /// - Complexity: O(1); the rule costs one `interrupted` and one `clock` call.
    static func perKey(steps: Int, memoBytes: Int, memoryBytes: Int, timeBudget: UInt64?,
                       clock: @escaping @Sendable () -> UInt64, interrupted: @escaping @Sendable () -> Bool,
                       onSteps: ((Int) -> Void)? = nil) -> Self {
        let started = clock()
        return Self(steps: steps, memoBytes: memoBytes, onSteps: onSteps, memoryBytes: memoryBytes, shouldStop: {
            if interrupted() { return .interrupted }
            if let timeBudget, clock() &- started >= timeBudget { return .time }
            return nil
        })
    }
}
