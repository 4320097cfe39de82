import Foundation
import Stats

/// Progress of a long run on stderr.
///
/// On a terminal it redraws one line: a bar, steps done of the total, the
/// current point, elapsed time and an ETA from the mean step time. When
/// stderr is not a terminal (CI logs, pipes) it stays silent while an
/// experiment runs and the runner prints one line when it finishes.
public final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let interactive: Bool
    private let experiment: String
    private let total: Int
    private var done = 0
    private let start = monotonicNanoseconds()
    private var lastDraw: UInt64 = 0

    public init(experiment: String, totalSteps: Int, interactive: Bool) {
        self.experiment = experiment
        self.total = max(totalSteps, 1)
        self.interactive = interactive
    }

    /// Whether stderr is a terminal.
    public static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Marks one step done; `label` names the point just measured.
    public func advance(_ label: String = "") {
        lock.lock()
        defer { lock.unlock() }
        done = min(done + 1, total)
        draw(label)
    }

    /// Sets the steps done (work counted in its own units, such as operations checked) and redraws.
    public func update(done newDone: Int, _ label: String = "") {
        lock.lock()
        defer { lock.unlock() }
        done = min(max(newDone, 0), total)
        draw(label)
    }

    /// Called with the lock held.
    private func draw(_ label: String) {
        guard interactive else { return }
        let now = monotonicNanoseconds()
        // Redraw at most 10 times a second, and always on the last step.
        guard now - lastDraw > 100_000_000 || done == total else { return }
        lastDraw = now
        let elapsed = Double(now - start) / 1e9
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let width = 24
        let filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = "\r\u{1B}[K[\(bar)] \(experiment) \(done)/\(total) \(label)  elapsed \(ProgressReporter.clock(elapsed))  ETA \(ProgressReporter.clock(eta))"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the progress line (terminal only).
    public func finish() {
        guard interactive else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : String(format: "%.1fs", seconds)
    }
}
