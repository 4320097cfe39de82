#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The monotonic clock the lab times with: `clock_gettime(CLOCK_MONOTONIC)`,
/// in nanoseconds. About 20 ns a read through the vDSO; read it outside the
/// measured operation, around a loop of many.
@inline(__always)
public func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// Keeps a value alive so the optimiser cannot delete the computation that
/// produced it. Compiled without optimisation, so it is an opaque call.
@_optimize(none)
public func blackHole<T>(_ value: T) {}
