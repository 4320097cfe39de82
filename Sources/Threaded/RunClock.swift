import Stats

/// Nanoseconds since the run began, from the monotonic clock every thread shares.
final class RunClock: @unchecked Sendable {
    private var origin: UInt64 = 0
    func start() { origin = monotonicNanoseconds() }
    @inline(__always) func now() -> Int64 { Int64(bitPattern: monotonicNanoseconds() &- origin) }
}
