import Stats

/// Timing a batch of operations with the monotonic clock.
public enum Timing {
    /// Nanoseconds per operation for one run of `batch`, which performs
    /// `operations` operations and returns a value derived from all of them
    /// (kept alive with `blackHole` so the optimiser cannot drop the work).
    @inlinable
    public static func nanosecondsPerOperation(operations: Int, _ batch: () -> Int) -> Double {
        let start = monotonicNanoseconds()
        let checksum = batch()
        let elapsed = monotonicNanoseconds() &- start
        blackHole(checksum)
        return Double(elapsed) / Double(operations)
    }
}
