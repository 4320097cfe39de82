#if canImport(Glibc)
import Glibc
#endif

/// The faults a test arms on a `FaultInjectingStorage`, shared by every file
/// it opens. The fault model is TigerBeetle's simulated storage (torn and
/// corrupted sectors, faults on read as well as on write; the log above
/// must detect each one) and LazyFS's (Ramos et al., VLDB 2024: writes torn
/// at a sector boundary, unsynced data lost). Single-threaded use only:
/// arm, run the WAL, read the outcome.
final class StorageFaultPlan: @unchecked Sendable {
    /// The next write that spans a multiple of this many bytes (512 or
    /// 4096: a sector or a page) persists only up to that boundary, then
    /// the machine "dies": that write and every later call fail.
    var tearNextWriteAtSector: Int?
    /// Every read of the named segment file returns `bit` of the byte at
    /// `offset` flipped (bit rot under data that was synced long ago).
    var flipOnRead: (file: String, offset: Int, bit: Int)?
    /// Each `pread` returns at most this many bytes (a short read).
    var maxBytesPerRead: Int?
    /// `pread` reports end of file at this offset, before the file's size.
    var endOfFileOnReadAt: Int?
    /// The next `fdatasync` fails with this errno, and the data written
    /// since the last successful sync of that file is dropped, as a kernel
    /// does when it marks the failed pages clean (fsyncgate; Rebello et
    /// al., ATC 2020).
    var failNextSync: Int32?

    /// The absolute file offset where a torn write stopped.
    private(set) var tornAt: Int?
    private(set) var crashed = false
    /// Pre-images of writes not yet synced, per file path, oldest first.
    fileprivate var unsynced: [String: [(offset: Int, before: [UInt8])]] = [:]

    init() {}

    fileprivate func checkAlive(_ operation: String, _ path: String) throws {
        if crashed { throw RaftLogError.io(operation: operation + " after injected crash", path: path, errno: EIO) }
    }

    fileprivate func tear(at boundary: Int) {
        tearNextWriteAtSector = nil
        tornAt = boundary
        crashed = true
    }
}

/// A `SegmentStorage` that injects the faults armed in a `StorageFaultPlan`
/// over the real files (`SegmentFile`); test-only, its cost is of no concern.
struct FaultInjectingStorage: SegmentStorage {
    let plan: StorageFaultPlan

    func open(_ path: String, create: Bool) throws -> FaultInjectingFile {
        try plan.checkAlive("open", path)
        return FaultInjectingFile(base: try SegmentFile.open(path, create: create), plan: plan)
    }

    func syncDirectory(_ directory: String) throws {
        try plan.checkAlive("fsync", directory)
        try SegmentFile.syncDirectory(directory)
    }

    func remove(_ path: String) throws {
        try plan.checkAlive("unlink", path)
        try SegmentFile.remove(path)
    }
}

/// One segment file seen through a `StorageFaultPlan`.
struct FaultInjectingFile: SegmentFileIO {
    let base: SegmentFile
    let plan: StorageFaultPlan

    var path: String { base.path }
    var descriptor: Int32 { base.fd }
    var size: Int { base.size }

    func preallocate(_ bytes: Int) throws {
        try plan.checkAlive("posix_fallocate", path)
        try base.preallocate(bytes)
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        try plan.checkAlive("pwrite", path)
        var before = [UInt8](repeating: 0, count: bytes.count)
        let got = before.withUnsafeMutableBytes { base.read(into: $0, at: offset) }
        plan.unsynced[path, default: []].append((offset, Array(before.prefix(max(0, got)))))
        if let sector = plan.tearNextWriteAtSector {
            let boundary = (offset / sector + 1) * sector
            if boundary < offset + bytes.count {
                try base.write(UnsafeRawBufferPointer(rebasing: bytes[0..<(boundary - offset)]), at: offset)
                plan.tear(at: boundary)
                throw RaftLogError.io(operation: "pwrite (injected crash: torn at \(sector)-byte boundary \(boundary))", path: path, errno: EIO)
            }
        }
        try base.write(bytes, at: offset)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        if plan.crashed {
            errno = EIO
            return -1
        }
        var count = buffer.count
        if let limit = plan.maxBytesPerRead { count = min(count, limit) }
        if let end = plan.endOfFileOnReadAt { count = min(count, max(0, end - offset)) }
        guard count > 0 else { return 0 }
        let n = base.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]), at: offset)
        if n > 0, let flip = plan.flipOnRead, path.hasSuffix("/" + flip.file), flip.offset >= offset, flip.offset < offset + n {
            buffer[flip.offset - offset] ^= UInt8(1) << UInt8(flip.bit)
        }
        return n
    }

    func dataSync() throws {
        try plan.checkAlive("fdatasync", path)
        if let failure = plan.failNextSync {
            plan.failNextSync = nil
            for (offset, before) in (plan.unsynced[path] ?? []).reversed() {
                try before.withUnsafeBytes { try base.write($0, at: offset) }
            }
            plan.unsynced[path] = nil
            throw RaftLogError.io(operation: "fdatasync", path: path, errno: failure)
        }
        try base.dataSync()
        plan.unsynced[path] = nil
    }

    func zero(from offset: Int) throws {
        try plan.checkAlive("ftruncate", path)
        try base.zero(from: offset)
    }

    func close() { base.close() }
}
