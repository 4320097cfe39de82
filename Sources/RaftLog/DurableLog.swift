import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The Raft log on disk: every change is written to a `SegmentedWAL` and
/// applied to an `InMemoryLog` that serves reads, as etcd pairs its WAL
/// with `MemoryStorage`. Opening replays the WAL (see `recovery`).
///
/// Safe to call from several threads: one lock orders the writes. How an
/// append waits for the disk is the `DurabilityPolicy`; under `group`, the
/// lock is released before the sync, so appenders arriving during one
/// `fdatasync` are all covered by the next, issued by whichever of them is
/// first in line.
///
/// - Complexity: an append is O(bytes) plus, per policy, nothing, one
///   `fdatasync`, or a share of one. Opening is O(bytes on disk).
public final class DurableLog: RaftLogStorage, @unchecked Sendable {
    public let directory: URL
    public let policy: DurabilityPolicy
    /// What opening found on disk.
    public let recovery: RecoveryReport

    private var memory: InMemoryLog
    private let wal: SegmentedWAL<PosixStorage>
    private let condition = NSCondition()
    /// Appends written / made durable, counted in calls.
    private var written: UInt64 = 0
    private var synced: UInt64 = 0
    private var syncInProgress = false
    private var syncs: UInt64 = 0
    /// The first failed fdatasync. After it the log refuses every operation
    /// with that error: the kernel may have dropped the dirty pages and
    /// cleared the error, so a retried sync that succeeds proves nothing
    /// ("fsyncgate"; Rebello et al., "Can Applications Recover from fsync
    /// Failures?", USENIX ATC 2020). Reopening recovers what reached the disk.
    private var failure: RaftLogError?
    /// Fault injection (tests): the errno the next fdatasync calls report instead of running.
    var injectedSyncErrno: Int32?

    /// The default segment size, as in etcd (`wal.SegmentSizeBytes`).
    public static let defaultSegmentBytes = 64 << 20

    /// Opens (creating if needed) the log in `directory` and recovers it.
    public init(directory: URL, policy: DurabilityPolicy, segmentBytes: Int = DurableLog.defaultSegmentBytes) throws {
        self.directory = directory
        self.policy = policy
        let (wal, memory, report) = try SegmentedWAL.open(directory: directory.path, segmentBytes: segmentBytes, syncing: policy != .none, storage: PosixStorage())
        self.wal = wal
        self.memory = memory
        self.recovery = report
    }

    private func locked<R>(_ body: () throws -> R) rethrows -> R {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }

    public var snapshotIndex: UInt64 { locked { memory.snapshotIndex } }
    public var snapshotTerm: UInt64 { locked { memory.snapshotTerm } }
    public var lastIndex: UInt64 { locked { memory.lastIndex } }
    public var commitIndex: UInt64 { locked { memory.commitIndex } }
    /// `fdatasync` calls made by appends since opening (group commit makes fewer than appends).
    public var syncCount: UInt64 { locked { syncs } }
    /// Segment files currently holding the log.
    public var segmentCount: Int { locked { wal.segments.count } }

    /// The segment being written and the offset of the next record (for tests that damage the tail).
    var walTail: (path: String, offset: Int) { locked { (wal.currentPath, wal.writeOffset) } }

    public func term(at index: UInt64) -> UInt64? { locked { memory.term(at: index) } }

    public func entries(from: UInt64, to: UInt64) throws -> [LogEntry] {
        try locked {
            if let failure { throw failure }
            return try memory.entries(from: from, to: to)
        }
    }

    /// Syncs the current segment (lock held); a failure closes the log for good.
    private func syncOrFail() throws {
        if let failure { throw failure }
        do {
            if let errno = injectedSyncErrno { throw RaftLogError.io(operation: "fdatasync", path: wal.currentPath, errno: errno) }
            try wal.sync()
        } catch let error as RaftLogError {
            failure = error
            throw error
        }
    }

    /// Appends the batch and returns once it is as durable as the policy says.
    @discardableResult
    public func append(_ batch: EntryBatch) throws -> UInt64 {
        condition.lock()
        let last: UInt64
        do {
            if let failure { throw failure }
            if policy == .group {
                // A roll closes the segment a group-commit leader may be syncing: wait for
                // it first. The wait releases the lock, so read the log's state only after it.
                var framed = 0
                for i in 0..<batch.count { framed &+= WALRecord.framedBytes(payload: batch.payloadRange(i).count) }
                while !wal.fits(framed) && syncInProgress { condition.wait() }
            }
            let first = memory.lastIndex + 1
            // Check terms before anything reaches the disk.
            var previous = memory.lastTerm
            for (i, term) in batch.terms.enumerated() {
                guard term >= previous else {
                    throw RaftLogError.termRegression(index: first + UInt64(i), term: term, previousTerm: previous)
                }
                previous = term
            }
            try wal.appendEntries(batch, firstIndex: first)
            last = try memory.append(batch)
            written &+= 1
            if policy == .fsync {
                try syncOrFail()
                syncs &+= 1
                synced = written
            }
        } catch {
            condition.unlock()
            throw error
        }
        let mine = written
        condition.unlock()
        if policy == .group { try waitUntilDurable(mine) }
        return last
    }

    /// Group commit: returns once append number `ticket` is on disk. The
    /// first caller to find no sync running syncs everything written so far;
    /// the others wait for it and return if it covered them.
    private func waitUntilDurable(_ ticket: UInt64) throws {
        condition.lock()
        defer { condition.unlock() }
        while synced < ticket {
            if let failure { throw failure }
            if syncInProgress {
                condition.wait()
                continue
            }
            syncInProgress = true
            let target = written
            let fd = wal.currentDescriptor
            let path = wal.currentPath
            condition.unlock()
            let injected = injectedSyncErrno
            let rc = injected == nil ? fdatasync(fd) : -1
            let error = injected ?? errno
            condition.lock()
            syncInProgress = false
            condition.broadcast()
            guard rc == 0 else {
                let failed = RaftLogError.io(operation: "fdatasync", path: path, errno: error)
                failure = failure ?? failed
                throw failed
            }
            syncs &+= 1
            if target > synced { synced = target }
        }
    }

    /// Under `group`, a segment must not be closed while a leader syncs it.
    /// Releases the lock while waiting: call it before reading the log's state.
    private func waitForSyncToFinish() {
        while syncInProgress { condition.wait() }
    }

    public func truncate(after index: UInt64) throws {
        try locked {
            waitForSyncToFinish()
            if let failure { throw failure }
            guard index >= memory.commitIndex else { throw RaftLogError.truncatingCommitted(after: index, commitIndex: memory.commitIndex) }
            guard index >= memory.snapshotIndex else { throw RaftLogError.compacted(index: index, snapshotIndex: memory.snapshotIndex) }
            guard index < memory.lastIndex else { return }
            try wal.appendTruncate(after: index, term: memory.term(at: index) ?? 0)
            try memory.truncate(after: index)
            if policy != .none { try syncOrFail() }
        }
    }

    public func commit(to index: UInt64) throws {
        try locked {
            waitForSyncToFinish()
            if let failure { throw failure }
            guard index <= memory.lastIndex else { throw RaftLogError.beyondLastIndex(index: index, lastIndex: memory.lastIndex) }
            guard index > memory.commitIndex else { return }
            try wal.appendCommit(index)
            try memory.commit(to: index)
        }
    }

    /// Compacts the in-memory log, records the snapshot point in the WAL,
    /// and deletes the segment files that hold only compacted entries.
    public func compact(upTo index: UInt64) throws {
        try locked {
            waitForSyncToFinish()
            if let failure { throw failure }
            guard index > memory.snapshotIndex else { return }
            guard index <= memory.commitIndex else { throw RaftLogError.compactingUncommitted(index: index, commitIndex: memory.commitIndex) }
            try wal.appendCompact(index, term: memory.term(at: index) ?? 0)
            try memory.compact(upTo: index)
            // The compact record must be durable before older segments go.
            try syncOrFail()
            _ = try wal.removeSegments(upTo: index)
        }
    }
}
