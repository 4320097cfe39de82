/// The file I/O the WAL does, as a protocol so a fault-injecting layer
/// (`FaultInjectingStorage`) can stand in for the disk in tests — the idea
/// of TigerBeetle's simulated storage (faults injected below the log, the
/// log must detect every one) and of LazyFS (a FUSE layer that tears writes
/// and drops unsynced data; Ramos et al., "When Amnesia Strikes", VLDB 2024).
///
/// `SegmentedWAL` is generic over it, so with `PosixStorage` every call is
/// statically dispatched and specialised (no existential, no witness-table
/// call per write): the hot path costs what the plain POSIX struct did.
protocol SegmentStorage {
    associatedtype File: SegmentFileIO
    func open(_ path: String, create: Bool) throws -> File
    /// Makes a file creation or removal in `directory` durable.
    func syncDirectory(_ directory: String) throws
    func remove(_ path: String) throws
}

/// One open segment file.
protocol SegmentFileIO {
    var path: String { get }
    /// The descriptor a group-commit leader syncs outside the log's lock.
    var descriptor: Int32 { get }
    var size: Int { get }
    /// Reserves `bytes` on disk so appends never extend the file.
    func preallocate(_ bytes: Int) throws
    /// Writes all of `bytes` at `offset` (retrying short writes).
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws
    /// One `pread`: bytes read (possibly fewer than asked, 0 at end of
    /// file), or -1 with `errno` set.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int
    func dataSync() throws
    /// Zeroes everything from `offset` to the end, keeping size and allocation.
    func zero(from offset: Int) throws
    func close()
}

#if canImport(Glibc)
import Glibc
#endif

extension SegmentFileIO {
    /// The whole file, read into an uninitialised buffer (no zero-fill pass
    /// first). Short reads are retried; a read that ends before the size
    /// `fstat` reported throws `WALOpenError.shortRead` instead of handing
    /// recovery a shorter segment (which it would take for a torn tail and
    /// truncate, destroying the records it did not see).
    func readAll() throws -> [UInt8] {
        let total = size
        var failure: Error?
        let out = [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            var done = 0
            while done < total {
                let n = read(into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[done..<total]), at: done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = RaftLogError.io(operation: "pread", path: path, errno: errno)
                    break
                }
                if n == 0 {
                    failure = WALOpenError.shortRead(path: path, expected: total, got: done)
                    break
                }
                done += n
            }
            count = done
        }
        if let failure { throw failure }
        return out
    }
}
