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
        Interruption.track(dir)  // Ctrl-C removes it with the rest of the run's scratch
        return dir
    }

    /// Where the probe's appends land.
    enum SyncRegion: String, CaseIterable, Sendable {
        /// Preallocated with `posix_fallocate` and never written, as a fresh
        /// WAL segment is: the first write to each block also converts an
        /// unwritten extent, which the sync must persist. The WAL's pattern.
        case fresh
        /// Preallocated, written with zeros and synced before timing, as a
        /// reused segment would be: the sync persists data only.
        case written
    }

    /// Nanoseconds per append when `appends` appends of `bytes` each are
    /// written back to back (one `pwrite` at the next offset, then
    /// `fdatasync`) into a new preallocated file — what `DurableLog` with
    /// policy fsync does per append, minus its record header and CRC. Its
    /// fastest sample over rounds shared with the WAL (``floor(_:)``) is
    /// therefore a floor for the WAL: a median fsync append faster than that
    /// on the probe's own pattern (`fresh`) means the probe is wrong.
    static func appendSyncNanoseconds(in directory: URL, bytes: Int, appends: Int, region: SyncRegion) throws -> Double {
        let path = directory.appendingPathComponent("fdatasync-probe-\(region.rawValue)").path
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RaftLogError.io(operation: "open", path: path, errno: errno) }
        defer { close(fd); unlink(path) }
        let length = bytes * appends
        let rc = posix_fallocate(fd, 0, off_t(length + 4096))
        guard rc == 0 else { throw RaftLogError.io(operation: "posix_fallocate", path: path, errno: rc) }
        var block = [UInt8](repeating: 0x5A, count: bytes)
        if region == .written {
            let zeros = [UInt8](repeating: 0, count: 1 << 16)
            var offset = 0
            while offset < length + 4096 {
                let count = min(zeros.count, length + 4096 - offset)
                try zeros.withUnsafeBytes { try writeFully(fd, $0.baseAddress!, count, at: offset, path: path) }
                offset += count
            }
        }
        guard fdatasync(fd) == 0 else { throw RaftLogError.io(operation: "fdatasync", path: path, errno: errno) }
        let start = monotonicNanoseconds()
        for i in 0..<appends {
            block[0] = UInt8(truncatingIfNeeded: i)
            try block.withUnsafeBytes { try writeFully(fd, $0.baseAddress!, bytes, at: i * bytes, path: path) }
            guard fdatasync(fd) == 0 else { throw RaftLogError.io(operation: "fdatasync", path: path, errno: errno) }
        }
        return Double(monotonicNanoseconds() &- start) / Double(appends)
    }

    /// Writes all `count` bytes at `offset`, retrying short writes and EINTR.
    /// A short write sets no errno, so reading errno after one reported a
    /// stale value (a full disk came out as "errno 2"); a write that makes
    /// no progress is reported as ENOSPC, the only reason pwrite returns 0.
    static func writeFully(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int, at offset: Int, path: String) throws {
        var done = 0
        while done < count {
            let n = pwrite(fd, bytes + done, count - done, off_t(offset + done))
            if n < 0 {
                let error = errno
                if error == EINTR { continue }
                throw RaftLogError.io(operation: "pwrite", path: path, errno: error)
            }
            guard n > 0 else { throw RaftLogError.io(operation: "pwrite", path: path, errno: ENOSPC) }
            done += n
        }
    }

    /// Latency of single appends in the WAL's pattern: 64-byte `pwrite`s
    /// packed one after another into a fresh preallocated file, each
    /// followed by `fdatasync`: `count` samples of write + sync, nanoseconds.
    static func fdatasyncNanoseconds(in directory: URL, count: Int) throws -> [Double] {
        let path = directory.appendingPathComponent("fdatasync-samples").path
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RaftLogError.io(operation: "open", path: path, errno: errno) }
        defer { close(fd); unlink(path) }
        let rc = posix_fallocate(fd, 0, off_t(count * 64 + 4096))
        guard rc == 0 else { throw RaftLogError.io(operation: "posix_fallocate", path: path, errno: rc) }
        _ = fdatasync(fd)
        var block = [UInt8](repeating: 0x5A, count: 64)
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for i in 0..<count {
            block[0] = UInt8(truncatingIfNeeded: i)
            let start = monotonicNanoseconds()
            try block.withUnsafeBytes { try writeFully(fd, $0.baseAddress!, 64, at: i * 64, path: path) }
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

    /// The fdatasync limit of a configuration from the probe's samples (each
    /// the mean nanoseconds per append call over one sample's appends, timed
    /// in the same rounds as the WAL's samples): the fastest of them. The WAL
    /// does the probe's `pwrite` + `fdatasync` and more (framing, CRC), so for
    /// its median sample to beat the probe's best one the WAL would have to
    /// beat the probe in over half of the shared rounds: a probe paying a cost
    /// the WAL does not. Two medians taken at different moments (the earlier
    /// definition) crossed by chance: 5 of 16 rows read 0.87–0.99 ×.
    static func floor(_ samples: [Double]) -> Double { samples.min() ?? .nan }

    /// `floor(_:)` in words, for the meta file's parameter grid.
    static let floorDefinition = "fastest of the fresh-region probe samples (mean pwrite+fdatasync per append call over a sample), interleaved round by round with the WAL samples"

    /// The value below which a fraction `p` of `samples` lie (nearest rank).
    static func percentile(_ samples: [Double], _ p: Double) -> Double {
        let sorted = samples.sorted()
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }
}
