import Foundation
import Stats
import Testing
@testable import RaftLog

/// Random sequences of appends, conflicting AppendEntries, truncations,
/// commits and compactions, applied to a variant and to `ReferenceLog`:
/// after every step both must have thrown the same error or returned the
/// same result, and hold the same entries, snapshot and commit index.
@Suite struct LogPropertyTests {
    enum Operation {
        case append([LogEntry])
        case appendEntries(prev: UInt64, prevTerm: UInt64, entries: [LogEntry])
        case truncate(UInt64)
        case commit(UInt64)
        case compact(UInt64)
    }

    static func payload(_ rng: inout Xoshiro256StarStar) -> [UInt8] {
        (0..<Int(rng.next() % 24)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    /// One operation drawn against the reference's current state; about a
    /// third of them are meant to be refused.
    static func draw(_ rng: inout Xoshiro256StarStar, _ model: ReferenceLog, term: inout UInt64) -> Operation {
        let last = model.lastIndex
        switch rng.next() % 10 {
        case 0, 1, 2:
            if rng.next() % 3 == 0 { term += 1 }
            let lastTerm = model.term(at: last) ?? 0
            let t = rng.next() % 8 == 0 ? lastTerm &- 1 : max(term, lastTerm)  // sometimes a regression
            return .append((0..<Int(rng.next() % 4)).map { LogEntry(term: t, index: last + 1 + UInt64($0), payload: payload(&rng)) })
        case 3, 4, 5:
            // A leader's view: agree on a prefix, then its own entries with terms at least as high.
            let prev = model.snapshotIndex + rng.next() % (last - model.snapshotIndex + 3)
            let trueTerm = model.term(at: prev)
            let prevTerm = (rng.next() % 5 == 0 || trueTerm == nil) ? rng.next() % (term + 2) : trueTerm!
            var t = max(prevTerm, model.term(at: min(prev, last)) ?? 0)
            var entries: [LogEntry] = []
            for i in 0..<Int(rng.next() % 5) {
                let index = prev + 1 + UInt64(i)
                if index <= last, rng.next() % 2 == 0, let existing = model.term(at: index), existing >= t {
                    t = existing  // repeat what is already there
                } else if rng.next() % 3 == 0 {
                    t += 1
                    term = max(term, t)
                }
                entries.append(LogEntry(term: t, index: index, payload: index <= last ? (try! model.entriesPayload(index)) : payload(&rng)))
            }
            return .appendEntries(prev: prev, prevTerm: prevTerm, entries: entries)
        case 6:
            let at = model.commitIndex + rng.next() % (last - model.commitIndex + 2)
            return .truncate(rng.next() % 6 == 0 && at > 0 ? at - 1 : at)  // sometimes below the commit index
        case 7, 8:
            return .commit(model.commitIndex + rng.next() % (last - model.commitIndex + 2))
        default:
            return .compact(model.snapshotIndex + rng.next() % (model.commitIndex - model.snapshotIndex + 2))
        }
    }

    /// Applies `op` to both and checks they agree.
    static func apply<L: RaftLogStorage>(_ op: Operation, _ log: inout L, _ model: inout ReferenceLog) throws {
        func outcome<R: Equatable>(_ body: () throws -> R) -> Result<R, RaftLogError> {
            do { return .success(try body()) } catch let e as RaftLogError { return .failure(e) } catch { fatalError("\(error)") }
        }
        func failure(_ body: () throws -> Void) -> RaftLogError? {
            do { try body(); return nil } catch let e as RaftLogError { return e } catch { fatalError("\(error)") }
        }
        switch op {
        case .append(let entries):
            #expect(failure { try log.append(entries) } == failure { try model.append(entries) }, "append \(entries.map { ($0.index, $0.term) })")
        case let .appendEntries(prev, prevTerm, entries):
            let got = outcome { try log.appendEntries(prevLogIndex: prev, prevLogTerm: prevTerm, entries: entries) }
            let want = outcome { try model.appendEntries(prevLogIndex: prev, prevLogTerm: prevTerm, entries: entries) }
            #expect(got == want, "appendEntries prev=\(prev)/\(prevTerm)")
        case .truncate(let i):
            #expect(failure { try log.truncate(after: i) } == failure { try model.truncate(after: i) }, "truncate after \(i)")
        case .commit(let i):
            #expect(failure { try log.commit(to: i) } == failure { try model.commit(to: i) }, "commit \(i)")
        case .compact(let i):
            #expect(failure { try log.compact(upTo: i) } == failure { try model.compact(upTo: i) }, "compact \(i)")
        }
        #expect(try observe(log) == model)
    }

    static func run<L: RaftLogStorage>(_ log: inout L, seed: UInt64, steps: Int) throws -> ReferenceLog {
        var rng = Xoshiro256StarStar(seed: seed)
        var model = ReferenceLog()
        var term: UInt64 = 1
        for _ in 0..<steps {
            try apply(draw(&rng, model, term: &term), &log, &model)
            for index in 0...(model.lastIndex + 1) { #expect(log.term(at: index) == model.term(at: index)) }
        }
        return model
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func inMemoryMatchesReference(seed: UInt64) throws {
        var log = InMemoryLog()
        _ = try Self.run(&log, seed: seed, steps: 600)
    }

    /// The same sequences on the WAL (small segments, so rolls and segment
    /// removal happen), then a reopen must return exactly the same log.
    @Test(arguments: [11, 12, 13] as [UInt64])
    func durableMatchesReferenceAndSurvivesReopen(seed: UInt64) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("raftlog-prop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var log = try DurableLog(directory: dir, policy: .none, segmentBytes: 2048)
        let model = try Self.run(&log, seed: seed, steps: 400)
        let reopened = try DurableLog(directory: dir, policy: .none, segmentBytes: 2048)
        #expect(reopened.recovery.damage == nil)
        var got = try observe(reopened)
        // The WAL records the compaction point and commits; a reopened log knows
        // the commit index at least as far as the snapshot.
        #expect(got.commitIndex <= model.commitIndex)
        got.commitIndex = model.commitIndex
        #expect(got == model)
    }

    /// Log Matching (§5.3): several logs driven by leaders of increasing
    /// terms through AppendEntries only; whenever two logs hold an entry with
    /// the same index and term, they are identical up to it.
    @Test(arguments: [21, 22, 23] as [UInt64])
    func logMatchingAcrossFollowers(seed: UInt64) throws {
        var rng = Xoshiro256StarStar(seed: seed)
        var logs = Array(repeating: InMemoryLog(), count: 4)
        for term in UInt64(1)...60 {
            let leader = Int(rng.next() % 4)
            let first = logs[leader].lastIndex + 1
            try logs[leader].append((0..<Int(rng.next() % 4)).map {
                LogEntry(term: term, index: first + UInt64($0), payload: [UInt8(term), UInt8($0)])
            })
            for follower in 0..<4 where follower != leader && rng.next() % 3 != 0 {
                // Walk nextIndex back until the follower accepts, as a leader would.
                var next = min(logs[follower].lastIndex + 1, logs[leader].lastIndex + 1)
                while true {
                    let prev = next - 1
                    let entries = try logs[leader].entries(from: next, to: logs[leader].lastIndex + 1)
                    let result = try logs[follower].appendEntries(prevLogIndex: prev, prevLogTerm: logs[leader].term(at: prev)!, entries: entries)
                    if case .accepted(let match) = result {
                        #expect(match == logs[leader].lastIndex)
                        break
                    }
                    next -= 1
                }
            }
            for a in 0..<4 {
                for b in (a + 1)..<4 {
                    let common = min(logs[a].lastIndex, logs[b].lastIndex)
                    guard common > 0 else { continue }
                    for i in 1...common where logs[a].term(at: i) == logs[b].term(at: i) {
                        #expect(try logs[a].entries(from: 1, to: i + 1) == logs[b].entries(from: 1, to: i + 1))
                    }
                }
            }
        }
    }
}

extension ReferenceLog {
    func entriesPayload(_ index: UInt64) throws -> [UInt8] { entries[Int(index - snapshotIndex - 1)].payload }
}
