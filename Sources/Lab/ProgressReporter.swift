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
        let text = ProgressReporter.line(experiment: experiment, done: done, total: total, label: label,
                                         elapsed: elapsed, eta: eta, columns: ProgressReporter.terminalColumns())
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }

    /// The progress line, at most `columns - 1` characters so that it never
    /// wraps (a wrapped line scrolls on every redraw): the label is cut
    /// first (with …), then the bar narrows, then the experiment name.
    static func line(experiment: String, done: Int, total: Int, label: String, elapsed: Double, eta: Double, columns: Int) -> String {
        let limit = max(columns - 1, 10)
        let times = "  elapsed \(clock(elapsed))  ETA \(clock(eta))"
        func compose(bar width: Int, name: String, label: String) -> String {
            let filled = width * done / max(total, 1)
            let bar = width > 0 ? "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " : ""
            return bar + name + " \(done)/\(total)" + (label.isEmpty ? "" : " " + label) + times
        }
        func cut(_ text: String, to count: Int) -> String {
            text.count <= count ? text : (count <= 1 ? "" : String(text.prefix(count - 1)) + "…")
        }
        var text = compose(bar: 24, name: experiment, label: label)
        if text.count <= limit { return text }
        let withoutLabel = compose(bar: 24, name: experiment, label: "").count
        if withoutLabel + 2 <= limit { return compose(bar: 24, name: experiment, label: cut(label, to: limit - withoutLabel - 1)) }
        for width in stride(from: 20, through: 0, by: -4) {
            text = compose(bar: width, name: experiment, label: "")
            if text.count <= limit { return text }
        }
        let rest = compose(bar: 0, name: "", label: "").count
        text = compose(bar: 0, name: cut(experiment, to: max(limit - rest, 1)), label: "")
        return cut(text, to: limit)
    }

    /// The terminal's width in columns (stderr's window size, else $COLUMNS, else 80).
    static func terminalColumns() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text), columns > 0 { return columns }
        return 80
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
