import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C (SIGINT) and SIGTERM during `caplab run`: remove every scratch
/// file and directory the run holds (tracked here by whoever creates them),
/// print what finished and how to resume, and exit 130 (SIGINT) or 143
/// (SIGTERM), the shell's codes for those signals.
///
/// The signals are taken by a dispatch source, not a C handler, so the
/// clean-up runs as ordinary code on a dispatch thread while the
/// measurement thread is left where it was; nothing it was writing is
/// needed, since every finished grid point is already in the run's journal
/// (``RunJournal``). Cost: one set insertion under a lock per tracked path.
public enum Interruption {
    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var paths: Set<String> = []
        var summary: (@Sendable () -> String)?
        var sources: [DispatchSourceSignal] = []
        var hooks: [String: @Sendable () -> Void] = [:]
    }

    private static let state = State()

    /// Removes `url` (file or directory) if the run is interrupted before `untrack`.
    public static func track(_ url: URL) {
        state.lock.lock(); defer { state.lock.unlock() }
        state.paths.insert(url.path)
    }

    public static func untrack(_ url: URL) {
        state.lock.lock(); defer { state.lock.unlock() }
        state.paths.remove(url.path)
    }

    /// The paths tracked now (for tests).
    public static var tracked: Set<String> {
        state.lock.lock(); defer { state.lock.unlock() }
        return state.paths
    }

    /// Removes every tracked path (below `prefix`, when given).
    public static func removeTracked(under prefix: String? = nil) {
        state.lock.lock()
        let paths = state.paths.filter { prefix == nil || $0.hasPrefix(prefix!) }
        state.paths.subtract(paths)
        state.lock.unlock()
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Runs `body` on SIGINT/SIGTERM before the scratch is removed and the
    /// process exits — how an experiment that started servers (engines) stops
    /// them by PID and removes its namespaces: one handler owns the signals, so
    /// nothing exits while another is still cleaning up. One hook per `key`.
    public static func beforeExit(_ key: String, _ body: @escaping @Sendable () -> Void) {
        state.lock.lock(); defer { state.lock.unlock() }
        state.hooks[key] = body
    }

    /// Drops the hook of `key` (say, once the child process it would kill has been reaped, so its PID is never reused by mistake).
    public static func removeHook(_ key: String) {
        state.lock.lock(); defer { state.lock.unlock() }
        state.hooks[key] = nil
    }

    /// Whether ``install(summary:)`` has taken the signals.
    public static var isInstalled: Bool {
        state.lock.lock(); defer { state.lock.unlock() }
        return !state.sources.isEmpty
    }

    /// Takes SIGINT and SIGTERM from now on; `summary` says what finished and how to resume.
    public static func install(summary: @escaping @Sendable () -> String) {
        state.lock.lock(); defer { state.lock.unlock() }
        state.summary = summary
        guard state.sources.isEmpty else { return }
        for (signalNumber, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                state.lock.lock()
                let hooks = state.hooks.sorted { $0.key < $1.key }.map(\.value)
                state.lock.unlock()
                for hook in hooks { hook() }
                removeTracked()
                state.lock.lock()
                let text = state.summary?() ?? ""
                state.lock.unlock()
                FileHandle.standardError.write(Data(("\n" + text).utf8))
                _exit(status)
            }
            source.resume()
            state.sources.append(source)
        }
    }
}
