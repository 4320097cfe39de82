/// The certificate behind a "2-atomic" verdict of ``TwoAtomicOrder``: from
/// a write order, the gap of each read and the total order of all the key's
/// operations; and a validator, independent of the algorithm, that checks
/// such an order against the definition (Aiyer, Alvisi & Bazzi, DISC 2005;
/// Golab, Hurwitz & Li, ICDCS 2013): every operation once, real time
/// respected, every read returning one of the two latest writes before it.
///
/// - Complexity: O(n log n) to build (reads sorted within gaps), O(n) to
///   validate, for n operations.
enum TwoAtomicWitness {
    /// One key's writes as ``TwoAtomicOrder/Item``s (`write[i]` is the
    /// operation of item i) and the largest invocation of a read of the
    /// empty register; nil when a write repeats a value or writes nothing,
    /// or a read returns a value no write wrote.
    static func items(_ ops: [RegisterOperation]) -> (items: [TwoAtomicOrder.Item], write: [Int], s0: Int)? {
        var itemOfValue: [Int64: Int] = [:]
        var items: [TwoAtomicOrder.Item] = []
        var write: [Int] = []
        for (i, op) in ops.enumerated() where op.function == .write {
            guard let value = op.value, itemOfValue[value] == nil else { return nil }
            itemOfValue[value] = items.count
            items.append(.init(s: op.invokePosition, hi: op.completePosition, readMaxInvoke: Int.min))
            write.append(i)
        }
        var s0 = Int.min
        for op in ops where op.function == .read {
            guard let value = op.value else { s0 = max(s0, op.invokePosition); continue }
            guard let x = itemOfValue[value] else { return nil }
            items[x].hi = min(items[x].hi, op.completePosition)
            items[x].readMaxInvoke = max(items[x].readMaxInvoke, op.invokePosition)
        }
        return (items, write, s0)
    }

    /// The total order (indices into `ops`) that places the writes in
    /// `writeOrder` (item indices, as ``items(_:)`` numbers them) at their
    /// earliest points and each read in gap k or k+1 after its write (gap k:
    /// after the k-th write of the order, 0 before the first), reads within
    /// a gap by invocation.
    static func totalOrder(_ ops: [RegisterOperation], items: [TwoAtomicOrder.Item], write: [Int], s0: Int, writeOrder: [Int]) -> [Int] {
        let m = writeOrder.count
        // earliest[j]: the integer part of write j's earliest point (1-based j; 0 unused).
        var earliest = [Int](repeating: Int.min, count: m + 1)
        var maxInvoke = Int.min
        for j in stride(from: 1, through: m, by: 1) {
            let x = items[writeOrder[j - 1]]
            maxInvoke = max(maxInvoke, x.s)
            let lag = j >= 2 ? (j == 2 ? s0 : items[writeOrder[j - 3]].readMaxInvoke) : Int.min
            earliest[j] = max(maxInvoke, earliest[j - 1], lag)
        }
        var positionOfValue: [Int64: Int] = [:]
        for (j, x) in writeOrder.enumerated() { positionOfValue[ops[write[x]].value!] = j + 1 }
        var gaps = [[Int]](repeating: [], count: m + 1)
        for (i, op) in ops.enumerated() where op.function == .read {
            let k = op.value.map { positionOfValue[$0]! } ?? 0
            let gap = k + 1 <= m && earliest[k + 1] < op.invokePosition ? k + 1 : k
            gaps[gap].append(i)
        }
        var order: [Int] = []
        order.reserveCapacity(ops.count)
        for j in 0...m {
            if j > 0 { order.append(write[writeOrder[j - 1]]) }
            order += gaps[j].sorted { ops[$0].invokePosition < ops[$1].invokePosition }
        }
        return order
    }

    /// Whether `order` (indices into `ops`) is a 2-atomic total order of
    /// `ops`: each operation exactly once, no operation before one that
    /// completed before it was invoked, each read's value among the two
    /// latest writes before it (the empty register before any write).
    static func isValid(_ ops: [RegisterOperation], order: [Int]) -> Bool {
        guard order.count == ops.count else { return false }
        var seen = [Bool](repeating: false, count: ops.count)
        var maxInvokeBefore = Int.min
        // nil: no such write yet; .some(nil): the empty register.
        var latest: Int64?? = .some(nil)
        var previous: Int64?? = nil
        for i in order {
            guard ops.indices.contains(i), !seen[i] else { return false }
            seen[i] = true
            let op = ops[i]
            // Every earlier operation was invoked before this one completed.
            guard maxInvokeBefore < op.completePosition else { return false }
            maxInvokeBefore = max(maxInvokeBefore, op.invokePosition)
            if op.function == .write {
                previous = latest
                latest = .some(op.value)
            } else if latest != .some(op.value) && previous != .some(op.value) {
                return false
            }
        }
        return true
    }
}
