#if canImport(Glibc)
import Glibc


#endif

/// The real disk: POSIX calls, statically dispatched through `SegmentedWAL`'s
/// generic parameter.
struct PosixStorage: SegmentStorage {
    func open(_ path: String, create: Bool) throws -> SegmentFile { try SegmentFile.open(path, create: create) }
    func syncDirectory(_ directory: String) throws { try SegmentFile.syncDirectory(directory) }
    func remove(_ path: String) throws { try SegmentFile.remove(path) }
}

/// Thin, throwing wrappers over the POSIX calls the WAL makes on one file.
struct SegmentFile: SegmentFileIO {
    let path: String
    let fd: Int32
    var descriptor: Int32 { fd }

    static func open(_ path: String, create: Bool) throws -> SegmentFile {
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0)
        let fd = Glibc.open(path, flags, 0o644)
        guard fd >= 0 else { throw RaftLogError.io(operation: "open", path: path, errno: errno) }
        return SegmentFile(path: path, fd: fd)
    }

    /// Reserves `bytes` on disk so appends never extend the file (no size
    /// metadata to sync per append once the extent is written).
    func preallocate(_ bytes: Int) throws {
        let rc = posix_fallocate(fd, 0, off_t(bytes))
        guard rc == 0 else { throw RaftLogError.io(operation: "posix_fallocate", path: path, errno: rc) }
    }

    var size: Int {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw RaftLogError.io(operation: "pwrite", path: path, errno: errno)
            }
            done += n
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        pread(fd, buffer.baseAddress!, buffer.count, off_t(offset))
    }

    func dataSync() throws {
        guard fdatasync(fd) == 0 else { throw RaftLogError.io(operation: "fdatasync", path: path, errno: errno) }
    }

    /// Zeroes everything from `offset` to the end, keeping the file's size and allocation.
    func zero(from offset: Int) throws {
        let size = self.size
        guard ftruncate(fd, off_t(offset)) == 0 else { throw RaftLogError.io(operation: "ftruncate", path: path, errno: errno) }
        try preallocate(size)
    }

    func close() { _ = Glibc.close(fd) }

    /// Makes a file creation or removal in `directory` durable.
    static func syncDirectory(_ directory: String) throws {
        let fd = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw RaftLogError.io(operation: "open", path: directory, errno: errno) }
        defer { _ = Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw RaftLogError.io(operation: "fsync", path: directory, errno: errno) }
    }

    static func remove(_ path: String) throws {
        guard unlink(path) == 0 else { throw RaftLogError.io(operation: "unlink", path: path, errno: errno) }
    }
}
