import Foundation
#if canImport(Glibc)
import Glibc
import Lab
#endif

/// jemalloc's statistics when jemalloc is the process's allocator (loaded
/// with LD_PRELOAD): `mallctl` is looked up at run time, so the same binary
/// runs with either allocator and reports nil with the system one.
/// Reads `stats.allocated` (bytes the application holds) and
/// `stats.resident` (bytes in physically resident pages jemalloc maps),
/// after bumping `epoch` so the numbers are fresh (jemalloc(3), "MALLCTL NAMESPACE").
enum AllocatorStats {
    typealias Mallctl = @convention(c) (UnsafePointer<CChar>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?,
                                        UnsafeMutableRawPointer?, Int) -> Int32

    static func jemalloc() -> (version: String, allocated: Int, resident: Int)? {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "mallctl") else { return nil }
        let mallctl = unsafeBitCast(symbol, to: Mallctl.self)
        var epoch: UInt64 = 1
        _ = mallctl("epoch", nil, nil, &epoch, MemoryLayout<UInt64>.size)
        func read(_ name: String) -> Int? {
            var value = 0
            var size = MemoryLayout<Int>.size
            return mallctl(name, &value, &size, nil, 0) == 0 ? value : nil
        }
        var versionPointer: UnsafePointer<CChar>?
        var size = MemoryLayout<UnsafePointer<CChar>?>.size
        let version = mallctl("version", &versionPointer, &size, nil, 0) == 0 ? versionPointer.map { String(cString: $0) } ?? "?" : "?"
        guard let allocated = read("stats.allocated"), let resident = read("stats.resident") else { return nil }
        return (version, allocated, resident)
        #else
        return nil
        #endif
    }

    /// The process's peak resident set, bytes: VmHWM from /proc/self/status (per address
    /// space, so unlike getrusage's ru_maxrss it does not carry the parent's peak across exec).
    static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kib = Int(fields[1]) { return kib * 1024 }
        }
        return nil
    }
}
