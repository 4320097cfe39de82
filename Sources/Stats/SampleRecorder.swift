import Foundation

/// Keeps the raw samples behind every ``Summary`` made while recording is
/// on, so the lab's runner can write them beside a result CSV (a samples
/// sidecar) without each experiment handing them over: an experiment
/// summarises its samples as it always has, and the runner matches the
/// summaries to the `_median` cells they produced.
///
/// Recording belongs to the thread that starts it (so two runs on two
/// threads, as in parallel tests, keep apart); summaries made on other
/// threads are not kept.
public enum SampleRecorder {
    private static let key = "CAPLab.SampleRecorder"

    private final class Recording {
        var samples: [[Double]] = []
    }

    /// Starts keeping samples on this thread, dropping any kept before.
    public static func start() {
        Thread.current.threadDictionary[key] = Recording()
    }

    /// Stops keeping samples on this thread and returns them, in the order the summaries were made.
    public static func stop() -> [[Double]] {
        let recording = Thread.current.threadDictionary[key] as? Recording
        Thread.current.threadDictionary.removeObject(forKey: key)
        return recording?.samples ?? []
    }

    static func record(_ samples: [Double]) {
        (Thread.current.threadDictionary[key] as? Recording)?.samples.append(samples)
    }
}

extension SampleRecorder {
    /// Adds samples kept earlier (a journaled grid point being replayed) as if their summaries were made now.
    public static func append(_ samples: [[Double]]) {
        for sample in samples { record(sample) }
    }
}
