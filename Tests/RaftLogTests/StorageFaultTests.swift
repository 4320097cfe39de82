import Foundation
import Testing
@testable import RaftLog
#if canImport(Glibc)
import Glibc
#endif

/// Storage faults beyond a kill. fsync reporting EIO: the log must not
/// retry and carry on (a later successful fdatasync proves nothing about
/// pages the kernel already dropped — "fsyncgate", Rebello et al., ATC 2020);
/// it refuses every further operation, and a reopen recovers what the disk holds.
@Suite struct StorageFaultTests {
    static func batch(_ range: ClosedRange<UInt64>) -> EntryBatch {
        var batch = EntryBatch()
        for index in range { batch.append(term: 1, payload: CrashWorkload.payload(index)) }
        return batch
    }

    @Test(arguments: [DurabilityPolicy.fsync, .group])
    func fsyncEIOIsFatalNotRetried(policy: DurabilityPolicy) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("raftlog-eio-\(UUID().uuidString)")
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
        #expect(reopened.lastIndex >= 3)
        for entry in try reopened.entries(from: 1, to: reopened.lastIndex + 1) {
            #expect(entry.payload == CrashWorkload.payload(entry.index))
        }
    }
}
