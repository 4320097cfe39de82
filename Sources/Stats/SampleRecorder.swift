import Foundation

/// Keeps the raw samples behind every ``Summary`` made while recording is
/// on, so the lab's runner can write them beside a result CSV (a samples
/// sidecar) without each experiment handing them over: an experiment
/// summarises its samples as it always has, and the runner matches the
/// summaries to the `_median` cells they produced.
///
/// Off by default; one recording at a time (the runner runs experiments
/// one after another). Summaries made on other threads are kept too.
public enum SampleRecorder {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var recorded: [[Double]]?

    /// Starts keeping samples, dropping any kept before.
    public static func start() {
        lock.lock()
        recorded = []
        lock.unlock()
    }

    /// Stops keeping samples and returns them, in the order the summaries were made.
    public static func stop() -> [[Double]] {
        lock.lock()
        defer { lock.unlock() }
        let kept = recorded ?? []
        recorded = nil
        return kept
    }

    static func record(_ samples: [Double]) {
        lock.lock()
        recorded?.append(samples)
        lock.unlock()
    }
}
