import Foundation
import Testing
@testable import RaftLog

/// Compaction keeps `term(at:)` and the consistency check right at the snapshot boundary.
@Suite struct CompactionTests {
    static func filled<L: RaftLogStorage>(_ log: inout L, terms: [UInt64]) throws {
        try log.append(terms.enumerated().map { LogEntry(term: $1, index: UInt64($0 + 1), payload: [UInt8($0)]) })
    }

    static func checkBoundary<L: RaftLogStorage>(_ log: inout L) throws {
        try filled(&log, terms: [1, 1, 2, 2, 3])
        #expect(throws: RaftLogError.compactingUncommitted(index: 3, commitIndex: 0)) { try log.compact(upTo: 3) }
        try log.commit(to: 4)
        try log.compact(upTo: 3)
        #expect(log.snapshotIndex == 3 && log.snapshotTerm == 2)
        #expect(log.term(at: 2) == nil)
        #expect(log.term(at: 3) == 2)   // the snapshot's own term
        #expect(log.term(at: 4) == 2)
        #expect(log.term(at: 5) == 3)
        #expect(log.term(at: 6) == nil)
        #expect(throws: RaftLogError.compacted(index: 3, snapshotIndex: 3)) { _ = try log.entries(from: 3, to: 5) }
        #expect(try log.entries(from: 4, to: 6).map(\.term) == [2, 3])
        // The consistency check at the boundary: prev = snapshot index matches by snapshot term.
        #expect(try log.appendEntries(prevLogIndex: 3, prevLogTerm: 2, entries: [LogEntry(term: 2, index: 4, payload: [3])]) == .accepted(matchIndex: 4))
        #expect(try log.appendEntries(prevLogIndex: 3, prevLogTerm: 1, entries: []) == .rejected(lastIndex: 5))
        // A prev below the snapshot: the compacted part counts as matching, the rest conflicts and is replaced.
        let resend = [LogEntry(term: 1, index: 2, payload: [1]), LogEntry(term: 2, index: 3, payload: [2]),
                      LogEntry(term: 2, index: 4, payload: [3]), LogEntry(term: 4, index: 5, payload: [9])]
        #expect(try log.appendEntries(prevLogIndex: 1, prevLogTerm: 1, entries: resend) == .accepted(matchIndex: 5))
        #expect(log.term(at: 5) == 4)
        #expect(throws: RaftLogError.truncatingCommitted(after: 2, commitIndex: 4)) { try log.truncate(after: 2) }
        try log.compact(upTo: 2)  // below the snapshot: nothing happens
        #expect(log.snapshotIndex == 3)
    }

    @Test func inMemoryBoundary() throws {
        var log = InMemoryLog()
        try Self.checkBoundary(&log)
    }

    @Test func durableBoundarySurvivesReopen() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("raftlog-compact-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var log = try DurableLog(directory: dir, policy: .none, segmentBytes: 4096)
        try Self.checkBoundary(&log)
        let reopened = try DurableLog(directory: dir, policy: .none, segmentBytes: 4096)
        #expect(reopened.snapshotIndex == 3 && reopened.term(at: 3) == 2 && reopened.term(at: 5) == 4 && reopened.term(at: 2) == nil)
    }

    /// Repeated compaction (which moves the live entries only now and then) keeps every term and payload.
    @Test func manyCompactionsKeepTheLiveEntries() throws {
        var log = InMemoryLog()
        var index: UInt64 = 0
        for round in 0..<200 {
            try log.append((0..<10).map { i in
                LogEntry(term: UInt64(round + 1), index: index + UInt64(i) + 1, payload: [UInt8(truncatingIfNeeded: index + UInt64(i) + 1)])
            })
            index += 10
            try log.commit(to: index)
            try log.compact(upTo: index - 5)
            #expect(log.term(at: index - 5) == UInt64(round + 1))
            for e in try log.entries(from: index - 4, to: index + 1) {
                #expect(e.payload == [UInt8(truncatingIfNeeded: e.index)] && e.term == UInt64(round + 1))
            }
        }
        #expect(log.count == 5)
    }

    /// Compaction removes whole segments that hold only compacted entries, and a reopen still works.
    @Test func compactionRemovesOldSegments() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("raftlog-segments-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = try DurableLog(directory: dir, policy: .none, segmentBytes: 1024)
        var batch = EntryBatch()
        for i in 1...200 {
            batch.removeAll()
            batch.append(term: 1 + UInt64(i / 50), payload: [UInt8](repeating: UInt8(i % 251), count: 40))
            try log.append(batch)
        }
        let before = log.segmentCount
        try log.commit(to: 150)
        try log.compact(upTo: 150)
        #expect(log.segmentCount < before)
        let reopened = try DurableLog(directory: dir, policy: .none, segmentBytes: 1024)
        #expect(reopened.snapshotIndex == 150 && reopened.snapshotTerm == 4 && reopened.lastIndex == 200)
        #expect(try reopened.entries(from: 151, to: 201) == log.entries(from: 151, to: 201))
    }
}
