import Foundation
import RaftLog
import Stats
#if canImport(Glibc)
import Glibc
import Lab
#endif

/// The physical limits the Raft log experiments are reported against,
/// measured in the same run: one `fdatasync` in the directory the WAL
/// uses, and memcpy bandwidth for the in-memory log.
enum RaftLogLimits {
    /// A fresh scratch directory on the results' filesystem (so the sync
    /// cost is that of the disk the results live on); the caller removes it.
    static func scratchDirectory(_ context: RunContext, _ name: String) throws -> URL {
        let parent = context.outputDirectory ?? FileManager.default.temporaryDirectory
        let dir = parent.appendingPathComponent(".\(name)-scratch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Latency of `fdatasync` after a 64-byte `pwrite` into a preallocated
    /// file, the WAL's own pattern: `count` samples in nanoseconds.
    static func fdatasyncNanoseconds(in directory: URL, count: Int) throws -> [Double] {
        let path = directory.appendingPathComponent("fdatasync-probe").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RaftLogError.io(operation: "open", path: path, errno: errno) }
        defer { close(fd); unlink(path) }
        guard posix_fallocate(fd, 0, off_t(count * 4096 + 4096)) == 0 else { throw RaftLogError.io(operation: "posix_fallocate", path: path, errno: errno) }
        _ = fdatasync(fd)
        var block = [UInt8](repeating: 0x5A, count: 64)
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for i in 0..<count {
            block[0] = UInt8(truncatingIfNeeded: i)
            _ = block.withUnsafeBytes { pwrite(fd, $0.baseAddress, 64, off_t(i * 4096)) }
            let start = monotonicNanoseconds()
            guard fdatasync(fd) == 0 else { throw RaftLogError.io(operation: "fdatasync", path: path, errno: errno) }
            samples.append(Double(monotonicNanoseconds() &- start))
        }
        return samples
    }

    /// Nanoseconds to memcpy `source` `times` times, back to back, into a
    /// freshly allocated buffer (page faults included, as for a fresh log).
    static func memcpyNanoseconds(_ source: UnsafeRawBufferPointer, times: Int) -> Double {
        let bytes = source.count * times
        let target = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 64)
        defer { target.deallocate() }
        let start = monotonicNanoseconds()
        var offset = 0
        for _ in 0..<times {
            memcpy(target + offset, source.baseAddress!, source.count)
            offset &+= source.count
        }
        let elapsed = monotonicNanoseconds() &- start
        blackHole(target.load(fromByteOffset: bytes - 1, as: UInt8.self))
        return Double(elapsed)
    }

    /// The value below which a fraction `p` of `samples` lie (nearest rank).
    static func percentile(_ samples: [Double], _ p: Double) -> Double {
        let sorted = samples.sorted()
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }
}
