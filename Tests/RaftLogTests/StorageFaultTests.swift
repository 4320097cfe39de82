import Foundation
import Testing
@testable import RaftLog
#if canImport(Glibc)
import Glibc
#endif

/// Storage faults beyond a kill, injected under the WAL by
/// `FaultInjectingStorage` (TigerBeetle's and LazyFS's fault models): torn
/// writes at a sector boundary, a flipped bit in a synced record, short
/// reads, fsync reporting EIO. For each, the WAL must detect it (chained
/// CRC-32C), never return a corrupt entry, and either recover every
/// acknowledged (synced) entry or refuse to open, naming the segment,
/// offset and what it found.
///
/// fsync EIO at the `DurableLog` level: the log must not retry and carry
/// on (a later successful fdatasync proves nothing about pages the kernel
/// already dropped — "fsyncgate", Rebello et al., ATC 2020); it refuses
/// every further operation, and a reopen recovers what the disk holds.
@Suite struct StorageFaultTests {
    static let segmentBytes = 64 << 10

    static func batch(_ range: ClosedRange<UInt64>, payload: (UInt64) -> [UInt8] = CrashWorkload.payload) -> EntryBatch {
        var batch = EntryBatch()
        for index in range { batch.append(term: 1, payload: payload(index)) }
        return batch
    }

    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("raftlog-fault-\(UUID().uuidString)")
    }

    static func openWAL(_ dir: URL, _ plan: StorageFaultPlan) throws -> (SegmentedWAL<FaultInjectingStorage>, InMemoryLog, RecoveryReport) {
        try SegmentedWAL.open(directory: dir.path, segmentBytes: segmentBytes, syncing: true, storage: FaultInjectingStorage(plan: plan))
    }

    /// Appends and syncs entries 1...count through the fault layer (no fault armed): all acknowledged.
    static func writeAcknowledged(_ dir: URL, count: UInt64) throws {
        let (wal, _, _) = try openWAL(dir, StorageFaultPlan())
        try wal.appendEntries(batch(1...count), firstIndex: 1)
        try wal.sync()
    }

    /// Every entry the real disk gives back is byte-for-byte the one written.
    static func expectIntact(_ log: DurableLog, atLeast acknowledged: UInt64) throws {
        #expect(log.lastIndex >= acknowledged)
        for entry in try log.entries(from: 1, to: log.lastIndex + 1) {
            #expect(entry.payload == CrashWorkload.payload(entry.index))
        }
    }

    /// File offset of entry `index`'s record in segment 0 (after the 48-byte header).
    static func recordOffset(_ index: UInt64) -> Int {
        WALRecord.framedBytes(payload: 16) + (1..<index).reduce(0) { $0 + WALRecord.framedBytes(payload: CrashWorkload.payload($1).count) }
    }

    // MARK: fsync reports EIO

    @Test(arguments: [DurabilityPolicy.fsync, .group])
    func fsyncEIOIsFatalNotRetried(policy: DurabilityPolicy) throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = try DurableLog(directory: dir, policy: policy, segmentBytes: 16 << 10)
        #expect(try log.append(Self.batch(1...3)) == 3)
        log.injectedSyncErrno = EIO
        #expect(throws: RaftLogError.io(operation: "fdatasync", path: log.walTail.path, errno: EIO)) { try log.append(Self.batch(4...4)) }
        // The device "recovers": a retry would now succeed, and must not be made.
        log.injectedSyncErrno = nil
        #expect(throws: RaftLogError.self) { try log.append(Self.batch(5...5)) }
        #expect(throws: RaftLogError.self) { try log.entries(from: 1, to: 4) }
        #expect(throws: RaftLogError.self) { try log.commit(to: 2) }
        #expect(throws: RaftLogError.self) { try log.truncate(after: 2) }
        // Reopening recovers every acknowledged entry intact.
        let reopened = try DurableLog(directory: dir, policy: policy, segmentBytes: 16 << 10)
        try Self.expectIntact(reopened, atLeast: 3)
    }

    /// fsync EIO in the file layer drops the unsynced pages: the reopened
    /// WAL holds exactly the synced entries and ends cleanly.
    @Test func fsyncEIODropsOnlyUnsyncedData() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = StorageFaultPlan()
        do {
            let (wal, _, _) = try Self.openWAL(dir, plan)
            try wal.appendEntries(Self.batch(1...5), firstIndex: 1)
            try wal.sync()
            try wal.appendEntries(Self.batch(6...10), firstIndex: 6)
            plan.failNextSync = EIO
            #expect(throws: RaftLogError.io(operation: "fdatasync", path: wal.currentPath, errno: EIO)) { try wal.sync() }
        }
        let reopened = try DurableLog(directory: dir, policy: .fsync, segmentBytes: Self.segmentBytes)
        #expect(reopened.lastIndex == 5)
        #expect(reopened.recovery.damage == nil)
        try Self.expectIntact(reopened, atLeast: 5)
    }

    /// Why the EIO must be fatal: a WAL that carries on after the failed
    /// sync leaves a hole where the dropped records were, with later synced
    /// records after it. Opening refuses (it cannot truncate at the hole
    /// without dropping those) instead of serving a log with a gap.
    @Test func writingOnAfterFsyncEIOIsRefusedOnOpen() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = StorageFaultPlan()
        let hole: Int
        do {
            let (wal, _, _) = try Self.openWAL(dir, plan)
            try wal.appendEntries(Self.batch(1...5), firstIndex: 1)
            try wal.sync()
            hole = wal.writeOffset
            try wal.appendEntries(Self.batch(6...10), firstIndex: 6)
            plan.failNextSync = EIO
            #expect(throws: RaftLogError.self) { try wal.sync() }
            try wal.appendEntries(Self.batch(11...15), firstIndex: 11)
            try wal.sync()
        }
        #expect(throws: WALOpenError.corruptBeforeValidRecords(segment: SegmentedWAL<PosixStorage>.fileName(0), offset: hole, kind: .tornLength, validRecordAt: Self.recordOffset(12))) {
            _ = try DurableLog(directory: dir, policy: .fsync, segmentBytes: Self.segmentBytes)
        }
    }

    // MARK: torn write at a sector boundary

    /// A write torn at a 512 B or 4 KiB boundary inside a record: the
    /// torn record is the last thing in the segment, so open truncates it
    /// (reported in `recovery.damage`), and every synced entry comes back.
    @Test(arguments: [512, 4096])
    func tornWriteAtSectorBoundaryIsTruncated(sector: Int) throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeAcknowledged(dir, count: 5)
        let plan = StorageFaultPlan()
        do {
            let (wal, _, _) = try Self.openWAL(dir, plan)
            plan.tearNextWriteAtSector = sector
            // 700-byte entries: 736-byte records, so records straddle sector boundaries.
            #expect(throws: RaftLogError.self) {
                try wal.appendEntries(Self.batch(6...20) { _ in [UInt8](repeating: 0xA5, count: 700) }, firstIndex: 6)
            }
        }
        let tornAt = try #require(plan.tornAt)
        #expect(tornAt % sector == 0)
        let reopened = try DurableLog(directory: dir, policy: .fsync, segmentBytes: Self.segmentBytes)
        let damage = try #require(reopened.recovery.damage)
        // The tear is inside the record where recovery stopped, not at its start.
        #expect(damage.offset < tornAt && tornAt < damage.offset + WALRecord.framedBytes(payload: 700))
        #expect(reopened.lastIndex >= 5)
        for entry in try reopened.entries(from: 1, to: reopened.lastIndex + 1) {
            #expect(entry.payload == (entry.index <= 5 ? CrashWorkload.payload(entry.index) : [UInt8](repeating: 0xA5, count: 700)))
        }
    }

    // MARK: a flipped bit in a synced record

    /// Where in segment 0 (20 synced entries) the bit is flipped: in entry
    /// 5's length word, stored CRC, kind, payload, or in the segment header.
    static let flips: [(name: String, offset: Int, bit: Int, damagedRecord: Int, kind: WALRecord.Damage)] = [
        ("length", recordOffset(5), 3, recordOffset(5), .checksumMismatch),
        ("length-high", recordOffset(5) + 3, 7, recordOffset(5), .tornLength),
        ("crc", recordOffset(5) + 4, 0, recordOffset(5), .checksumMismatch),
        ("kind", recordOffset(5) + 8, 1, recordOffset(5), .checksumMismatch),
        ("payload", recordOffset(5) + 32 + 3, 5, recordOffset(5), .checksumMismatch),
        ("segment-header", 16, 0, 0, .badSegmentHeader),
    ]

    /// A flipped bit in a synced record of the last segment with valid
    /// records after it is bit rot, not a torn tail: opening refuses with
    /// the segment, the damaged offset, the kind and the next valid record,
    /// and leaves the file untouched (a clean read then recovers all 20).
    @Test(arguments: 0..<6)
    func bitFlipInSyncedRecordIsRefused(flip: Int) throws {
        let (_, offset, bit, damagedRecord, kind) = Self.flips[flip]
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeAcknowledged(dir, count: 20)
        let plan = StorageFaultPlan()
        let name = SegmentedWAL<PosixStorage>.fileName(0)
        plan.flipOnRead = (name, offset, bit)
        #expect {
            _ = try Self.openWAL(dir, plan)
        } throws: { error in
            guard case let .corruptBeforeValidRecords(segment, at, found, valid)? = error as? WALOpenError else { return false }
            return segment == name && at == damagedRecord && found == kind && valid > at && valid <= Self.recordOffset(7)
        }
        let clean = try DurableLog(directory: dir, policy: .fsync, segmentBytes: Self.segmentBytes)
        #expect(clean.lastIndex == 20 && clean.recovery.damage == nil)
        try Self.expectIntact(clean, atLeast: 20)
    }

    /// A flipped bit in the very last record cannot be told from a torn
    /// tail (nothing follows it): it is detected and cut off, and no
    /// corrupt entry is served — the one case where an acknowledged record
    /// is lost (see the README's storage-fault table).
    @Test func bitFlipInTheLastRecordIsTruncatedLikeATornTail() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeAcknowledged(dir, count: 20)
        let plan = StorageFaultPlan()
        plan.flipOnRead = (SegmentedWAL<PosixStorage>.fileName(0), Self.recordOffset(20) + 40, 2)
        let (_, log, report) = try Self.openWAL(dir, plan)
        #expect(report.damage == .init(segment: SegmentedWAL<PosixStorage>.fileName(0), offset: Self.recordOffset(20), kind: .checksumMismatch))
        #expect(log.lastIndex == 19)
        for entry in try log.entries(from: 1, to: 20) { #expect(entry.payload == CrashWorkload.payload(entry.index)) }
    }

    // MARK: short reads

    /// `pread` returning a few bytes at a time: the segment is still read whole.
    @Test(arguments: [1, 7, 100, 4096])
    func shortReadsAreRetried(limit: Int) throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeAcknowledged(dir, count: 20)
        let plan = StorageFaultPlan()
        plan.maxBytesPerRead = limit
        let (_, log, report) = try Self.openWAL(dir, plan)
        #expect(log.lastIndex == 20 && report.damage == nil)
        for entry in try log.entries(from: 1, to: 21) { #expect(entry.payload == CrashWorkload.payload(entry.index)) }
    }

    /// `pread` reporting end of file before the file's size: open refuses
    /// (a shorter segment would look like a torn tail and be truncated),
    /// and the file is untouched.
    @Test func readEndingBeforeTheSizeIsRefused() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeAcknowledged(dir, count: 20)
        let plan = StorageFaultPlan()
        plan.endOfFileOnReadAt = Self.recordOffset(10) + 5
        let path = dir.appendingPathComponent(SegmentedWAL<PosixStorage>.fileName(0)).path
        #expect(throws: WALOpenError.shortRead(path: path, expected: Self.segmentBytes, got: Self.recordOffset(10) + 5)) {
            _ = try Self.openWAL(dir, plan)
        }
        let clean = try DurableLog(directory: dir, policy: .fsync, segmentBytes: Self.segmentBytes)
        #expect(clean.lastIndex == 20)
        try Self.expectIntact(clean, atLeast: 20)
    }
}
