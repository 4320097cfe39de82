import Stats
import Testing
@testable import Consistency

/// 2-atomicity: hand-built histories with known answers, and the exact
/// verdict against the definition searched naively (every real-time order,
/// every subset of the indeterminate writes) on small random histories.
@Suite struct TwoAtomicityTests {
    static func key(_ h: History) throws -> [RegisterOperation] {
        LinearizabilityChecker.searchable(try h.operations())
    }

    /// The definition: some subset of the indeterminate writes and every
    /// completed operation, in some order respecting real time, where each
    /// read returns one of the `k` latest writes before it (the empty
    /// register counts as a write before everything).
    static func bruteForce(_ ops: [RegisterOperation], k: Int) -> Bool {
        let optional = ops.indices.filter { ops[$0].completePosition == Int.max }
        for mask in 0..<(1 << optional.count) {
            var chosen = ops.indices.filter { ops[$0].completePosition != Int.max }
            for (bit, i) in optional.enumerated() where mask & (1 << bit) != 0 { chosen.append(i) }
            if order(ops, chosen, written: [nil], k: k) { return true }
        }
        return false
    }

    static func order(_ ops: [RegisterOperation], _ remaining: [Int], written: [Int64?], k: Int) -> Bool {
        if remaining.isEmpty { return true }
        for (slot, i) in remaining.enumerated() {
            let op = ops[i]
            if remaining.contains(where: { ops[$0].completePosition < op.invokePosition }) { continue }
            if op.function == .read && !written.suffix(k).contains(op.value) { continue }
            var rest = remaining
            rest.remove(at: slot)
            if order(ops, rest, written: op.function == .write ? written + [op.value] : written, k: k) { return true }
        }
        return false
    }

    @Test func knownAnswers() throws {
        // w1; w2; r → 1: the only order puts one write between: 2-atomic, not linearizable.
        var h = HistoryBuilder()
        h.op(0, .write, 1); h.op(0, .write, 2); h.op(1, .read, 1)
        #expect(TwoAtomicity.check(try Self.key(h.history)) == .twoAtomic)
        #expect(RegisterZones.check(try Self.key(h.history)) != .linearizable)
        // w1; w2; w3; r → 1: two writes certainly between (versions behind 2).
        h.op(0, .write, 3)
        h.op(1, .read, 1)
        #expect(TwoAtomicity.check(try Self.key(h.history)) == .notTwoAtomic)

        // Only the search decides these (versions behind is 1 at most).
        // w1; w2; then w3 overlaps r → 1, which may go before it: 2-atomic.
        h = HistoryBuilder()
        h.op(0, .write, 1); h.op(0, .write, 2)
        h.invoke(1, .write, 3)
        h.invoke(3, .read); h.ok(3, .read, 1)
        h.ok(1, .write, 3)
        var ops = try Self.key(h.history)
        #expect(VersionsBehind.histogram(ops)!.count <= 2)
        #expect(TwoAtomicity.check(ops) == .twoAtomic)
        // The same, but a read of 3 completes before r → 1 is invoked, so w3 precedes r: not 2-atomic.
        h = HistoryBuilder()
        h.op(0, .write, 1); h.op(0, .write, 2)
        h.invoke(1, .write, 3)
        h.invoke(2, .read); h.ok(2, .read, 3)
        h.invoke(3, .read); h.ok(3, .read, 1)
        h.ok(1, .write, 3)
        ops = try Self.key(h.history)
        #expect(VersionsBehind.histogram(ops)!.count <= 2)
        #expect(TwoAtomicity.check(ops) == .notTwoAtomic)
        // An indeterminate write nobody read may never have happened: w1; w2 (info); r → 1 is linearizable.
        h = HistoryBuilder()
        h.op(0, .write, 1)
        h.invoke(1, .write, 2); h.info(1, .write, 2)
        h.op(2, .read, 1)
        #expect(TwoAtomicity.check(try Self.key(h.history)) == .twoAtomic)
        // A read of a value never written: not 2-atomic, without search.
        h = HistoryBuilder()
        h.op(0, .write, 1); h.op(1, .read, 9)
        #expect(TwoAtomicity.check(try Self.key(h.history), stepBudget: 1) == .notTwoAtomic)
        // Repeated written values: not decided.
        h = HistoryBuilder()
        h.op(0, .write, 1); h.op(0, .write, 1)
        #expect(TwoAtomicity.check(try Self.key(h.history)) == .notApplicable)
    }

    @Test func agreesWithTheDefinition() throws {
        var random = RandomHistory(rng: Xoshiro256StarStar(seed: 2013), uniqueValues: true)
        var counts: [TwoAtomicity.Verdict: Int] = [:]
        var notLinearizableButTwo = 0
        for trial in 0..<3_000 {
            let h = random.make(operations: 3 + trial % 5, processes: 3)
            let ops = try Self.key(h)
            let expected = Self.bruteForce(ops, k: 2)
            let searched = TwoAtomicity.search(ops, stepBudget: 1_000_000)
            let verdict = TwoAtomicity.check(ops)
            #expect(searched == (expected ? .twoAtomic : .notTwoAtomic), "trial \(trial): \(h.events)")
            #expect(verdict == searched, "trial \(trial): \(h.events)")
            counts[verdict, default: 0] += 1
            if expected && !Self.bruteForce(ops, k: 1) { notLinearizableButTwo += 1 }
        }
        // Both answers, and the interesting middle (2-atomic, not linearizable), are exercised.
        #expect(counts[.twoAtomic, default: 0] > 100)
        #expect(counts[.notTwoAtomic, default: 0] > 100)
        #expect(notLinearizableButTwo > 50)
    }

    @Test func budgetGivesUnknown() throws {
        var h = HistoryBuilder()
        h.op(0, .write, 1); h.op(0, .write, 2)
        h.invoke(1, .write, 3)
        h.invoke(3, .read); h.ok(3, .read, 1)
        h.ok(1, .write, 3)
        #expect(TwoAtomicity.search(try Self.key(h.history), stepBudget: 1) == .unknown)
    }
}
