import Foundation
import Stats
import Testing
@testable import RaftLog

/// Reopening a WAL: a clean close returns the same entries; a damaged last
/// record is truncated exactly, and the report says where and why.
@Suite struct WALRecoveryTests {
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("raftlog-wal-\(UUID().uuidString)")
    }

    /// Appends `count` entries with non-zero random payloads; returns them and
    /// where the last record starts.
    static func write(_ dir: URL, count: Int, segmentBytes: Int = 4096) throws -> (entries: [LogEntry], lastRecord: (path: String, offset: Int)) {
        var rng = Xoshiro256StarStar(seed: 3720)
        var log = try DurableLog(directory: dir, policy: .none, segmentBytes: segmentBytes)
        var entries: [LogEntry] = []
        var tail = log.walTail
        for i in 1...count {
            let payload = (0..<(20 + Int(rng.next() % 60))).map { _ in UInt8(1 + rng.next() % 255) }
            entries.append(LogEntry(term: UInt64(1 + i / 10), index: UInt64(i), payload: payload))
            tail = log.walTail
            try log.append([entries.last!])
        }
        return (entries, tail)
    }

    static func patch(_ path: String, at offset: Int, _ body: (inout [UInt8]) -> Void) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        body(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test func cleanReopenReturnsTheSameEntries() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (entries, _) = try Self.write(dir, count: 300)
        let log = try DurableLog(directory: dir, policy: .fsync, segmentBytes: 4096)
        #expect(log.recovery.damage == nil && log.recovery.bytesTruncated == 0)
        #expect(log.recovery.entriesRecovered == 300 && log.recovery.segmentsScanned > 1)
        #expect(try log.entries(from: 1, to: 301) == entries)
    }

    /// One flipped bit in the last record's payload: exactly that record goes.
    @Test func corruptLastRecordIsTruncated() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (entries, last) = try Self.write(dir, count: 120)
        try Self.patch(last.path, at: last.offset) { $0[last.offset + 40] ^= 0x10 }
        var log = try DurableLog(directory: dir, policy: .none, segmentBytes: 4096)
        let report = log.recovery
        #expect(report.damage == .init(segment: URL(fileURLWithPath: last.path).lastPathComponent, offset: last.offset, kind: .checksumMismatch))
        #expect(report.bytesTruncated == WALRecord.framedBytes(payload: entries.last!.payload.count))
        #expect(report.entriesRecovered == 119)
        #expect(try log.entries(from: 1, to: 120) == Array(entries.dropLast()))
        // The log goes on from there, and the next open is clean.
        try log.append([LogEntry(term: 99, index: 120, payload: [7, 7, 7])])
        let again = try DurableLog(directory: dir, policy: .none, segmentBytes: 4096)
        #expect(again.recovery.damage == nil && again.lastIndex == 120 && again.term(at: 120) == 99)
    }

    /// A torn write: only the first 16 bytes of the last record reached the file.
    @Test func tornLastRecordIsTruncated() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (entries, last) = try Self.write(dir, count: 50)
        let framed = WALRecord.framedBytes(payload: entries.last!.payload.count)
        try Self.patch(last.path, at: last.offset) { bytes in
            for i in (last.offset + 16)..<(last.offset + framed) { bytes[i] = 0 }
        }
        let log = try DurableLog(directory: dir, policy: .none, segmentBytes: 4096)
        #expect(log.recovery.damage?.kind == .checksumMismatch && log.recovery.damage?.offset == last.offset)
        #expect(log.recovery.bytesTruncated == 16)
        #expect(log.lastIndex == 49)
    }

    /// The file ends inside the last record (the length word promises more than there is).
    @Test func shortenedFileIsTruncated() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, last) = try Self.write(dir, count: 50)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: last.path))
        try handle.truncate(atOffset: UInt64(last.offset + 24))
        try handle.close()
        let log = try DurableLog(directory: dir, policy: .none, segmentBytes: 4096)
        #expect(log.recovery.damage?.kind == .tornLength && log.recovery.damage?.offset == last.offset)
        #expect(log.recovery.bytesTruncated == 24)
        #expect(log.lastIndex == 49)
    }

    /// Non-zero bytes after the clean end of the last segment are garbage from a torn write.
    @Test func garbageAfterTheEndIsTruncated() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, last) = try Self.write(dir, count: 10)
        let log0 = try DurableLog(directory: dir, policy: .none, segmentBytes: 4096)
        let end = log0.walTail.offset
        try Self.patch(last.path, at: end) { $0[end + 100] = 0xAB }
        let log = try DurableLog(directory: dir, policy: .none, segmentBytes: 4096)
        #expect(log.recovery.damage?.offset == end && log.recovery.bytesTruncated == 104)
        #expect(log.lastIndex == 10)
    }

    /// Damage before the last segment is not a torn tail: opening refuses.
    @Test func damageBeforeTheTailIsRefused() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Self.write(dir, count: 200)
        let first = dir.appendingPathComponent(SegmentedWAL<PosixStorage>.fileName(0)).path
        try Self.patch(first, at: 0) { $0[200] ^= 1 }
        #expect(throws: WALOpenError.self) { _ = try DurableLog(directory: dir, policy: .none, segmentBytes: 4096) }
    }

    /// A record whose zero padding the segment cuts off is torn, not whole (found by
    /// `caplab-fuzz --target wal-record`: accepting it put the next offset past the end).
    @Test func recordMissingItsPaddingIsTorn() {
        let payload: [UInt8] = Array("set x 1".utf8)  // 7 bytes: body 31, framed 40 with 1 byte of padding
        let framed = WALRecord.framedBytes(payload: payload.count)
        #expect(framed == 40)
        var bytes = [UInt8](repeating: 0, count: framed)
        _ = bytes.withUnsafeMutableBytes { p in
            payload.withUnsafeBytes { WALRecord.encode(into: p.baseAddress!, kind: .entry, a: 1, b: 1, payload: $0, previousCRC: 0) }
        }
        bytes.withUnsafeBytes { whole in
            guard case .success(let record)? = WALRecord.decode(whole, at: 0, previousCRC: 0) else { Issue.record("whole record not decoded"); return }
            #expect(record.framedBytes == framed)
        }
        bytes.removeLast()
        bytes.withUnsafeBytes { cut in
            guard case .failure(let damage)? = WALRecord.decode(cut, at: 0, previousCRC: 0) else { Issue.record("a record without its padding decoded"); return }
            #expect(damage == .tornLength)
        }
    }
}
