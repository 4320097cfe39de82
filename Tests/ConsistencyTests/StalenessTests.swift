import Stats
import Testing
@testable import Consistency

/// Δ-atomicity (Golab, Li & Shah, PODC 2011) and versions behind: answers
/// worked by hand, and Δ against the definition applied naively (shift
/// every read's start earlier by Δ, run the search).
@Suite struct StalenessTests {
    /// One operation with its interval in nanoseconds (nil finish: never completed).
    struct Op {
        let f: HistoryEvent.Function
        let value: Int64?
        let start: Int64
        let finish: Int64?
    }

    /// A history whose events carry these times, each operation its own
    /// process; ties between times are broken by `order` (default: by operation, invocations first).
    static func history(_ ops: [Op], shiftReadsBy delta: Int64 = 0, tieBreak: [Int]? = nil) -> History {
        var stamped: [(time: Int64, rank: Int, event: HistoryEvent)] = []
        for (i, op) in ops.enumerated() {
            let start = op.f == .read ? op.start - delta : op.start
            // Δ > 0: a shifted read start sorts before a finish at the same time (concurrent).
            let startRank = op.f == .read && delta > 0 ? -1 : (tieBreak?[2 * i] ?? 2 * i)
            stamped.append((start, startRank, HistoryEvent(type: .invoke, function: op.f, process: Int64(i), value: op.f == .write ? op.value : nil, timeNanoseconds: start)))
            if let finish = op.finish {
                stamped.append((finish, tieBreak?[2 * i + 1] ?? 2 * i + 1, HistoryEvent(type: .ok, function: op.f, process: Int64(i), value: op.value, timeNanoseconds: finish)))
            }
        }
        stamped.sort { ($0.time, $0.rank) < ($1.time, $1.rank) }
        return History(events: stamped.map(\.event))
    }

    static func staleness(_ ops: [Op]) throws -> StalenessReport.Key {
        let report = try StalenessReport(history(ops))
        #expect(report.deltaInNanoseconds)
        return report.keys[0]
    }

    @Test func knownAnswers() throws {
        // A read of the empty register 10 ns after a write completed: Δ = 20 − 10.
        var k = try Self.staleness([Op(f: .write, value: 1, start: 0, finish: 10), Op(f: .read, value: nil, start: 20, finish: 30)])
        #expect(k.delta == .delta(10))
        #expect(k.versionsBehind == [0, 1])
        // Three writes in sequence; a read at 40 returns the first: it must start by the second's finish (20).
        k = try Self.staleness([
            Op(f: .write, value: 1, start: 0, finish: 10), Op(f: .write, value: 2, start: 15, finish: 20),
            Op(f: .write, value: 3, start: 25, finish: 30), Op(f: .read, value: 1, start: 40, finish: 50),
        ])
        #expect(k.delta == .delta(20))
        #expect(k.versionsBehind == [0, 0, 1])
        // A read overlapping the write that returns the old value: linearizable, Δ = 0.
        k = try Self.staleness([Op(f: .write, value: 1, start: 0, finish: 10), Op(f: .read, value: nil, start: 5, finish: 30),
                                Op(f: .read, value: 1, start: 31, finish: 32)])
        #expect(k.delta == .delta(0))
        #expect(k.versionsBehind == [2])
        // New then old: the second read (start 30) must reach back before the first read's finish (25): Δ = 5.
        k = try Self.staleness([Op(f: .write, value: 1, start: 0, finish: 100), Op(f: .read, value: 1, start: 10, finish: 25),
                                Op(f: .read, value: nil, start: 30, finish: 40)])
        #expect(k.delta == .delta(5))
        // A value never written, and a read that completed before its write began: no Δ.
        #expect(try Self.staleness([Op(f: .read, value: 9, start: 0, finish: 1)]).delta == .never)
        k = try Self.staleness([Op(f: .read, value: 1, start: 0, finish: 5), Op(f: .write, value: 1, start: 6, finish: 9)])
        #expect(k.delta == .never)
        // Repeated values: no read mapping, not measured.
        k = try Self.staleness([Op(f: .write, value: 1, start: 0, finish: 1), Op(f: .write, value: 1, start: 2, finish: 3)])
        #expect(k.delta == .notApplicable)
        #expect(k.versionsBehind == nil)
    }

    @Test func withoutTimesDeltaCountsEvents() throws {
        var h = HistoryBuilder()
        h.op(0, .write, 1)
        h.op(1, .read, nil) // invoked at position 2, the write completed at 1
        let report = try StalenessReport(h.history)
        #expect(!report.deltaInNanoseconds)
        #expect(report.keys[0].delta == .delta(1))
        #expect(report.rendered().contains("Δ in events"))
    }

    /// Random small histories with times (ties included): the smallest Δ is
    /// the least integer Δ for which the shifted history is linearizable by
    /// the search (a tie at Δ = 0 follows the history's order, so a read that
    /// began the nanosecond a write finished needs Δ = 1).
    @Test func agreesWithTheDefinitionOnRandomHistories() throws {
        var rng = Xoshiro256StarStar(seed: 17)
        let searchOnly = LinearizabilityChecker(usesZones: false)
        var stale = 0, never = 0
        for _ in 0..<1_000 {
            let n = 2 + Int(rng.next() % 6)
            var ops: [Op] = []
            var written: [Int64] = []
            for _ in 0..<n {
                let start = Int64(rng.next() % 30)
                let finish: Int64? = rng.next() % 12 == 0 ? nil : start + 1 + Int64(rng.next() % 10)
                if rng.next() % 2 == 0 {
                    written.append(Int64(written.count + 1))
                    ops.append(Op(f: .write, value: written.last!, start: start, finish: finish))
                } else if let finish {
                    let pick = rng.next() % UInt64(written.count + 2)
                    let value: Int64? = pick == 0 ? nil : Int64(pick) // may be unwritten: then never
                    ops.append(Op(f: .read, value: value, start: start, finish: finish))
                }
            }
            guard ops.contains(where: { $0.f == .read }) else { continue }
            var tieBreak = Array(0..<(2 * ops.count))
            tieBreak.shuffle(using: &rng)
            let measured = try StalenessReport(Self.history(ops, tieBreak: tieBreak)).keys[0].delta
            // The definition, every integer Δ in turn (times span at most 40 ns here).
            var expected = DeltaAtomicity.Result.never
            for delta in Int64(0)...41 {
                let shifted = Self.history(ops, shiftReadsBy: delta, tieBreak: tieBreak)
                if try searchOnly.check(shifted).verdict == .linearizable { expected = .delta(delta); break }
            }
            #expect(measured == expected, "\(ops) tie \(tieBreak)")
            if case .delta(let d) = expected, d > 0 { stale += 1 }
            if expected == .never { never += 1 }
        }
        // The sample exercises both non-trivial answers.
        #expect(stale > 100)
        #expect(never > 100)
    }

    @Test func versionsBehindAgreesWithADirectCount() throws {
        var rng = Xoshiro256StarStar(seed: 5)
        for _ in 0..<300 {
            var g = RandomHistory(rng: rng)
            g.uniqueValues = true
            let h = g.make(operations: 30, processes: 5)
            rng = g.rng
            let ops = LinearizabilityChecker.searchable(try h.operations())
            guard let histogram = VersionsBehind.histogram(ops) else { continue }
            var direct: [Int] = []
            let writes = ops.filter { $0.function == .write }
            for r in ops where r.function == .read {
                let seen = r.value.flatMap { v in writes.first { $0.value == v } }
                if r.value != nil && seen == nil { continue }
                let after = seen.map(\.completePosition) ?? -1
                let k = after == Int.max ? 0 : writes.filter { $0.invokePosition > after && $0.completePosition < r.invokePosition }.count
                if direct.count <= k { direct += [Int](repeating: 0, count: k - direct.count + 1) }
                direct[k] += 1
            }
            #expect(histogram == direct)
        }
    }
}
