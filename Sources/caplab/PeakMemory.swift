#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's peak resident set so far, as `caplab check` reports it.
enum PeakMemory {
    /// Bytes, from getrusage(2)'s `ru_maxrss` (kilobytes on Linux, bytes on
    /// macOS); nil when the call fails.
    static func residentBytes() -> Int? {
        var usage = rusage()
        #if canImport(Darwin)
        guard getrusage(RUSAGE_SELF, &usage) == 0 else { return nil }
        return Int(usage.ru_maxrss)
        #else
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return nil }
        return Int(usage.ru_maxrss) * 1024
        #endif
    }
}
