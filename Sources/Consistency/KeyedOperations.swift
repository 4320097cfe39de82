/// A history's operations split by key once, for every pass that judges
/// keys one by one: the linearizability verdict
/// (``LinearizabilityChecker/check(_:progress:)-(KeyedOperations,_)``) and
/// the staleness report (``StalenessReport/init(_:keyed:twoAtomicStepBudget:)``)
/// share it instead of each pairing and splitting the history again.
///
/// Per key it keeps the operations the checkers consider
/// (``LinearizabilityChecker/searchable(_:)``: no `fail`, no `info` read),
/// sorted by invocation. Invocation positions are distinct event indices,
/// so the sort is a counting pass over positions, not a comparison sort.
///
/// - Complexity: O(n + P) time and memory for n operations whose largest
///   invocation position is P (P < 2n for a paired history); one hash of
///   a key per operation whose key differs from the previous operation's.
public struct KeyedOperations: Sendable {
    /// Keys in ascending order.
    public let keys: [HistoryKey]
    /// Per key (same order), its searchable operations by invocation.
    public let searchable: [[RegisterOperation]]
    /// Per key, how many operations it has before `fail`s and `info` reads are dropped.
    public let operationCounts: [Int]
    /// Operations over all keys, before dropping.
    public let operationCount: Int

    /// Pairs `history` (``History/operations()``) and splits it.
    public init(_ history: History) throws {
        self.init(try history.operations())
    }

    public init(_ operations: [RegisterOperation]) {
        operationCount = operations.count
        var groupOfKey: [HistoryKey: Int] = [:]
        var groupKeys: [HistoryKey] = []
        var group = [Int32](repeating: 0, count: operations.count)
        var counts: [Int] = []
        var searchableCounts: [Int] = []
        var lastKey: HistoryKey?
        var lastGroup = 0
        var maxInvoke = -1
        operations.withUnsafeBufferPointer { ops in
            for i in ops.indices {
                let key = ops[i].key
                if key != lastKey {
                    if let g = groupOfKey[key] {
                        lastGroup = g
                    } else {
                        lastGroup = groupKeys.count
                        groupOfKey[key] = lastGroup
                        groupKeys.append(key)
                        counts.append(0)
                        searchableCounts.append(0)
                    }
                    lastKey = key
                }
                group[i] = Int32(truncatingIfNeeded: lastGroup)
                counts[lastGroup] += 1
                if Self.isSearchable(ops[i]) { searchableCounts[lastGroup] += 1 }
                maxInvoke = max(maxInvoke, ops[i].invokePosition)
            }
        }
        // Operations by invocation: a slot per position (positions are distinct
        // in a paired history); any repeat or a sparse range falls back to sorting.
        var byInvoke: [Int32]?
        if maxInvoke < 2 * operations.count + 16 {
            var slots = [Int32](repeating: -1, count: maxInvoke + 1)
            var distinct = true
            for i in operations.indices {
                let p = operations[i].invokePosition
                if p < 0 || slots[p] >= 0 { distinct = false; break }
                slots[p] = Int32(truncatingIfNeeded: i)
            }
            if distinct { byInvoke = slots }
        }
        var lists = searchableCounts.map { count -> [RegisterOperation] in
            var list: [RegisterOperation] = []
            list.reserveCapacity(count)
            return list
        }
        if let byInvoke {
            for slot in byInvoke where slot >= 0 {
                let i = Int(slot)
                if Self.isSearchable(operations[i]) { lists[Int(group[i])].append(operations[i]) }
            }
        } else {
            for i in operations.indices where Self.isSearchable(operations[i]) { lists[Int(group[i])].append(operations[i]) }
            lists = lists.map { LinearizabilityChecker.searchable($0) }
        }
        let order = groupKeys.indices.sorted { groupKeys[$0] < groupKeys[$1] }
        keys = order.map { groupKeys[$0] }
        searchable = order.map { lists[$0] }
        operationCounts = order.map { counts[$0] }
    }

    /// What ``LinearizabilityChecker/searchable(_:)`` keeps.
    @inline(__always)
    static func isSearchable(_ op: RegisterOperation) -> Bool {
        op.outcome != .fail && !(op.function == .read && op.outcome == .info)
    }
}
