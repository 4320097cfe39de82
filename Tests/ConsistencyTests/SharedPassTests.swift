@testable import Consistency
import Stats
import Testing

/// The fast paths of `caplab check` give what the general paths give: the
/// canonical JSON-lines reader, the once-only split by key shared by the
/// verdict and the staleness report, and the pairing's process table.
@Suite struct SharedPassTests {
    /// Random histories with every field shape the writer produces: keys or
    /// none, times or none, nil and negative values, fail/info completions,
    /// large and negative process numbers, pending invocations.
    func randomHistory(seed: UInt64, operations: Int) -> History {
        var rng = Xoshiro256StarStar(seed: seed)
        var events: [HistoryEvent] = []
        var pending: [(process: Int64, f: HistoryEvent.Function, key: HistoryKey?, value: Int64?)] = []
        let keyed = rng.next() % 2 == 0, timed = rng.next() % 2 == 0
        var next: Int64 = 1
        func process() -> Int64 {
            switch rng.next() % 4 {
            case 0: return -Int64(rng.next() % 1_000) - 1
            case 1: return Int64(rng.next() % 1_000_000_000_000)
            default: return Int64(rng.next() % 50)
            }
        }
        for _ in 0..<operations {
            if pending.isEmpty || (pending.count < 8 && rng.next() % 2 == 0) {
                var p = process()
                while pending.contains(where: { $0.process == p }) { p = process() }
                let f: HistoryEvent.Function = rng.next() % 2 == 0 ? .write : .read
                let key: HistoryKey? = keyed ? .integer(Int64(rng.next() % 5) - 2) : nil
                let value: Int64? = f == .write ? (rng.next() % 3 == 0 ? -next : next) : nil
                next += 1
                pending.append((p, f, key, value))
                events.append(HistoryEvent(type: .invoke, function: f, process: p, key: key, value: value,
                                           timeNanoseconds: timed ? Int64(events.count) * 1_000 : nil))
            } else {
                let o = pending.remove(at: Int(rng.next() % UInt64(pending.count)))
                let type: HistoryEvent.EventType = [.ok, .ok, .ok, .fail, .info][Int(rng.next() % 5)]
                let value: Int64? = o.f == .write ? o.value : (rng.next() % 4 == 0 ? nil : Int64(rng.next() % UInt64(next)))
                events.append(HistoryEvent(type: type, function: o.f, process: o.process, key: o.key, value: value,
                                           timeNanoseconds: timed ? Int64(events.count) * 1_000 : nil))
            }
        }
        return History(events: events)
    }

    /// What the writer writes, the fast reader reads back exactly, and the
    /// general reader agrees; a file of another shape goes to the general reader.
    @Test func canonicalLinesReadLikeTheGeneralReader() throws {
        for seed in 0..<200 as Range<UInt64> {
            let history = randomHistory(seed: seed, operations: 200)
            let bytes = Array(HistoryFormat.jsonLines.render(history).utf8)
            let fast = try #require(bytes.withUnsafeBufferPointer { HistoryFormat.parseCanonicalJSONLines($0) })
            #expect(fast == history)
            #expect(try HistoryFormat.parseGeneral(bytes) == fast)
            #expect(try HistoryFormat.parse(bytes) == fast)
        }
        let odd = [
            "{\"type\": \"invoke\",\"f\":\"read\",\"process\":0,\"value\":null}\n",   // a space
            "{\"type\":\"invoke\",\"f\":\"read\",\"process\":01,\"value\":null}\n",   // a leading zero
            "{\"type\":\"invoke\",\"f\":\"read\",\"process\":1e3,\"value\":null}\n",  // a float
            "{\"type\":\"invoke\",\"f\":\"write\",\"process\":1,\"value\":null}\n",   // a write without a value: an error
            "{\"type\":\"invoke\",\"f\":\"read\",\"process\":1,\"key\":\"x\",\"value\":null}\n", // a string key
            "{\"type\":\"invoke\",\"f\":\"read\",\"process\":12345678901234567890,\"value\":null}\n", // 20 digits
            "{\"type\":\"invoke\",\"f\":\"read\",\"process\":1,\"value\":null}",      // no final newline
            "{\"type\":\"invoke\",\"f\":\"read\",\"process\":-0,\"value\":null}\n",   // -0
        ]
        for text in odd {
            #expect(Array(text.utf8).withUnsafeBufferPointer { HistoryFormat.parseCanonicalJSONLines($0) } == nil, "\(text)")
        }
        // The write without a value is still refused, by the general reader, naming the line.
        #expect(throws: HistoryError(line: 1, "a write's invoke needs a value")) { try HistoryFormat.parse(Array(odd[3].utf8)) }
    }

    /// The split by key holds what the per-key filter and sort of
    /// ``LinearizabilityChecker/searchable(_:)`` give, key by key, and the
    /// verdict and staleness computed on it equal those computed from the history.
    @Test func splitByKeyMatchesPerKeyFilterAndSort() throws {
        for seed in 0..<200 as Range<UInt64> {
            let history = randomHistory(seed: seed, operations: 300)
            let operations = try history.operations()
            var byKey: [HistoryKey: [RegisterOperation]] = [:]
            for op in operations { byKey[op.key, default: []].append(op) }
            let keyed = KeyedOperations(operations)
            #expect(keyed.keys == byKey.keys.sorted())
            #expect(keyed.operationCount == operations.count)
            for (i, key) in keyed.keys.enumerated() {
                #expect(keyed.searchable[i] == LinearizabilityChecker.searchable(byKey[key]!))
                #expect(keyed.operationCounts[i] == byKey[key]!.count)
            }
            // Operations out of any history (repeated positions): the sorting fallback.
            let doubled = KeyedOperations(operations + operations)
            for (i, key) in doubled.keys.enumerated() {
                #expect(doubled.searchable[i] == LinearizabilityChecker.searchable(byKey[key]! + byKey[key]!))
            }
            let report = LinearizabilityChecker(stepBudgetPerKey: 100_000).check(keyed)
            let fromHistory = try LinearizabilityChecker(stepBudgetPerKey: 100_000).check(history)
            #expect(report.verdict == fromHistory.verdict && report.violations == fromHistory.violations)
            let staleness = StalenessReport(history, keyed: keyed, twoAtomicStepBudget: 10_000)
            #expect(staleness.rendered() == (try StalenessReport(history, twoAtomicStepBudget: 10_000)).rendered())
        }
    }

    /// Pairing with the process table: processes below, at and past its
    /// size, negative ones, and the errors it must still raise.
    @Test func pairingAcrossTheProcessTable() throws {
        var h = HistoryBuilder()
        // 5 events: the table covers processes 0..<69.
        h.invoke(68, .write, 1)
        h.invoke(69, .write, 2)
        h.invoke(-3, .read)
        h.ok(69, .write, 2)
        h.ok(68, .write, 1)
        let ops = try h.history.operations()
        #expect(ops.map(\.process) == [69, 68, -3])
        #expect(ops.map(\.outcome) == [.ok, .ok, .info])
        #expect(ops[2].completePosition == Int.max)

        var twice = HistoryBuilder()
        twice.invoke(70, .read)
        twice.invoke(70, .read)
        #expect(throws: HistoryError(line: 2, "process 70 invokes again while its operation from line 1 is pending")) { try twice.history.operations() }
        var orphan = HistoryBuilder()
        orphan.invoke(1, .read)
        orphan.ok(2, .read)
        #expect(throws: HistoryError(line: 2, "ok from process 2 without a pending invoke")) { try orphan.history.operations() }
        // Pending invocations come last, by position, whichever side of the table they are on.
        var open = HistoryBuilder()
        open.invoke(1_000_000, .write, 1)
        open.invoke(2, .write, 2)
        open.invoke(-1, .write, 3)
        #expect(try open.history.operations().map(\.invokePosition) == [0, 1, 2])
    }
}
