import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One server process CAPLab started: its PID, its command line and its log.
/// CAPLab stops exactly the processes it started, by PID, never by name.
public final class SupervisedProcess: @unchecked Sendable {
    public let name: String
    public let arguments: [String]
    public let logPath: String
    private let lock = NSLock()
    private var _pid: pid_t
    private var exited = false

    init(name: String, arguments: [String], logPath: String, pid: pid_t) {
        self.name = name
        self.arguments = arguments
        self.logPath = logPath
        self._pid = pid
    }

    public var pid: pid_t { lock.withLock { _pid } }

    /// True while the process has not exited (reaps it when it has).
    public var isRunning: Bool {
        lock.withLock {
            if exited { return false }
            var status: Int32 = 0
            let r = waitpid(_pid, &status, WNOHANG)
            if r == _pid || (r < 0 && errno == ECHILD && Glibc.kill(_pid, 0) != 0) { exited = true }
            return !exited
        }
    }

    /// SIGKILL and reap, waiting at most `timeoutSeconds` (a crash, or teardown).
    public func kill(timeoutSeconds: Double = 10) {
        let pid = self.pid
        guard isRunning else { return }
        _ = Glibc.kill(pid, SIGKILL)
        waitForExit(timeoutSeconds: timeoutSeconds)
    }

    /// SIGTERM, then SIGKILL if it has not exited after `graceSeconds`.
    public func terminate(graceSeconds: Double = 3) {
        guard isRunning else { return }
        _ = Glibc.kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(graceSeconds)
        while isRunning && Date() < deadline { usleep(20_000) }
        kill()
    }

    func waitForExit(timeoutSeconds: Double) {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while isRunning && Date() < deadline { usleep(5_000) }
    }

    func replacePID(_ pid: pid_t) { lock.withLock { _pid = pid; exited = false } }

    /// The last lines of the process's log, for an error message.
    public func logTail(lines: Int = 20) -> String {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return "(no log at \(logPath))" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}

/// Starts servers as child processes (stdout and stderr to a log file, in a
/// session of their own so a terminal's Ctrl-C reaches CAPLab, which then
/// stops them) and registers every PID with ``Teardown``.
public enum ProcessSupervisor {
    /// Starts `arguments` (the first is an absolute path) with output to `logPath`.
    public static func start(name: String, arguments: [String], logPath: String) throws -> SupervisedProcess {
        let pid = try spawn(arguments, logPath: logPath)
        let process = SupervisedProcess(name: name, arguments: arguments, logPath: logPath, pid: pid)
        Teardown.shared.register(process)
        return process
    }

    /// Starts the same command again (a crashed member restarting on its data directory).
    public static func restart(_ process: SupervisedProcess) throws {
        process.kill()
        process.replacePID(try spawn(process.arguments, logPath: process.logPath))
    }

    /// POSIX_SPAWN_SETSID (glibc ≥ 2.26), hidden from Swift behind _GNU_SOURCE.
    static let spawnSetSID: Int32 = 0x80

    static func spawn(_ arguments: [String], logPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(Self.spawnSetSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        guard rc == 0 else { throw EngineError("cannot start \(arguments[0]): \(String(cString: strerror(rc)))") }
        return pid
    }
}
