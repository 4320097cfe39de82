/// "How stale", in versions: for each read of a register with unique written
/// values, how many writes are certainly newer than the one it returned —
/// writes invoked after that write completed and completed before the read
/// was invoked. Every linearization orders all of them between the write and
/// the read, so a read with k such writes returned a value at least k
/// versions old: the measured counterpart of PBS's k-staleness (Bailis et
/// al., VLDB 2012). A history with a read k ≥ 1 behind is not linearizable,
/// and one with a read k ≥ 2 behind is not 2-atomic (Golab, "On the
/// k-atomicity-verification problem", ICDCS 2013, defines k-atomicity: each
/// read returns one of the k latest writes in some linearization); the
/// converse does not hold, so this is a lower bound, reported beside Δ and
/// the exact verdict of ``TwoAtomicity``.
///
/// The empty register's reads count every write completed before them.
///
/// - Complexity: O(n log n): reads sorted by invocation sweep the writes
///   sorted by completion, a Fenwick tree counting their invocations.
public enum VersionsBehind {
    /// Reads per number of versions behind (index k: reads k behind); nil
    /// when two writes write the same value. Reads of a value never written
    /// are left out (the zones and Δ report them).
    static func histogram(_ ops: [RegisterOperation]) -> [Int]? {
        var writeOfValue: [Int64: RegisterOperation] = [:]
        var writes: [RegisterOperation] = []
        for op in ops where op.function == .write {
            guard let value = op.value, writeOfValue[value] == nil else { return nil }
            writeOfValue[value] = op
            if op.completePosition != Int.max { writes.append(op) }
        }
        // (read invocation, completion of the write it saw; -1 for the empty register)
        var queries: [(invoke: Int, seenComplete: Int)] = []
        for op in ops where op.function == .read {
            if let value = op.value {
                guard let w = writeOfValue[value] else { continue }
                // An indeterminate write a read saw has no completion: nothing is certainly newer.
                if w.completePosition == Int.max { queries.append((op.invokePosition, Int.max)); continue }
                queries.append((op.invokePosition, w.completePosition))
            } else {
                queries.append((op.invokePosition, -1))
            }
        }
        writes.sort { $0.completePosition < $1.completePosition }
        queries.sort { $0.invoke < $1.invoke }
        // Fenwick tree over write invocations, compressed to their rank.
        let starts = writes.map(\.invokePosition).sorted()
        var tree = [Int](repeating: 0, count: starts.count + 1)
        func rank(_ position: Int) -> Int { // writes invoked at or before position
            var lo = 0, hi = starts.count
            while lo < hi { let mid = (lo + hi) / 2; if starts[mid] <= position { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        func add(_ position: Int) { var i = rank(position); while i <= starts.count { tree[i] += 1; i += i & -i } }
        func prefix(_ count: Int) -> Int { var i = count, s = 0; while i > 0 { s += tree[i]; i -= i & -i }; return s }
        var added = 0
        var histogram: [Int] = []
        for q in queries {
            while added < writes.count && writes[added].completePosition < q.invoke {
                add(writes[added].invokePosition)
                added += 1
            }
            let behind = q.seenComplete == Int.max ? 0 : added - prefix(q.seenComplete < 0 ? 0 : rank(q.seenComplete))
            if histogram.count <= behind { histogram += [Int](repeating: 0, count: behind - histogram.count + 1) }
            histogram[behind] += 1
        }
        return histogram
    }
}
