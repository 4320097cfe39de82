import Foundation
import Stats
import Testing
@testable import Consistency

/// One hot key in the style of a sloppy R = W = 1 store: `processes`
/// clients, half writes of fresh values; every operation takes effect at a
/// random moment inside its interval, and a read returns, at that moment,
/// the latest write or — with probability `staleness` — the one before it.
/// 2-atomic by construction, and not linearizable once a stale read lands
/// where no other order hides it.
///
/// With `CAPLAB_WRITE_HISTORIES=DIR` the test also writes the 10⁶-operation
/// history the 2-atomicity figure of the README's `caplab check` section uses.
@Suite struct TwoAtomicHistoryTests {
    static func oneStaleVersion<G: RandomNumberGenerator>(operations: Int, processes: Int, staleness: Double, using rng: inout G) -> History {
        var events: [HistoryEvent] = []
        events.reserveCapacity(operations * 2)
        var latest: Int64?, previous: Int64??
        var pending: [Int64: (isWrite: Bool, value: Int64?, applied: Bool)] = [:]
        var idle = (0..<Int64(processes)).map { $0 }
        var started = 0
        var nextValue: Int64 = 1
        func unit() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        while started < operations || !pending.isEmpty {
            if started < operations && !idle.isEmpty && (pending.isEmpty || rng.next() % 2 == 0) {
                let p = idle.remove(at: Int(rng.next() % UInt64(idle.count)))
                let isWrite = rng.next() % 2 == 0
                let value: Int64? = isWrite ? nextValue : nil
                if isWrite { nextValue += 1 }
                events.append(HistoryEvent(type: .invoke, function: isWrite ? .write : .read, process: p, value: value))
                pending[p] = (isWrite, value, false)
                started += 1
                continue
            }
            let keys = pending.keys.sorted()
            let p = keys[Int(rng.next() % UInt64(keys.count))]
            var op = pending[p]!
            if !op.applied {
                if op.isWrite {
                    previous = .some(latest)
                    latest = op.value
                } else {
                    op.value = unit() < staleness ? (previous ?? latest) : latest
                }
                op.applied = true
                pending[p] = op
                if rng.next() % 2 == 0 { continue }
            }
            pending[p] = nil
            events.append(HistoryEvent(type: .ok, function: op.isWrite ? .write : .read, process: p, value: op.value))
            idle.append(p)
        }
        return History(events: events)
    }

    @Test func oneStaleVersionIsTwoAtomic() throws {
        var rng = Xoshiro256StarStar(seed: 8)
        var notLinearizable = 0
        for trial in 0..<200 {
            let h = Self.oneStaleVersion(operations: 40 + trial, processes: 2 + trial % 16, staleness: 0.3, using: &rng)
            let ops = LinearizabilityChecker.searchable(try h.operations())
            #expect(TwoAtomicity.check(ops) == .twoAtomic)
            if RegisterZones.check(ops) != .linearizable { notLinearizable += 1 }
        }
        #expect(notLinearizable > 100)
        // A large one: decided (no budget), certified, 2-atomic.
        let big = Self.oneStaleVersion(operations: 20_000, processes: 64, staleness: 0.3, using: &rng)
        let report = try StalenessReport(big)
        #expect(report.keys(.twoAtomic).count == 1)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CAPLAB_WRITE_HISTORIES"] != nil))
    func writeMeasurementHistory() throws {
        let dir = URL(fileURLWithPath: ProcessInfo.processInfo.environment["CAPLAB_WRITE_HISTORIES"]!)
        var rng = Xoshiro256StarStar(seed: 2013)
        let h = Self.oneStaleVersion(operations: 1_000_000, processes: 64, staleness: 0.3, using: &rng)
        try HistoryFormat.jsonLines.render(h).write(to: dir.appendingPathComponent("one-key-1m-ops-one-stale-version.jsonl"), atomically: true, encoding: .utf8)
    }
}
