import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Short-lived helper commands (`ip`, `iptables`): run to completion, bounded
/// in time, output captured. Long-lived servers go through ``ProcessSupervisor``.
enum SystemCommand {
    struct Result { let status: Int32; let output: String }

    /// The output of one command, filled by a reader thread while the caller watches the clock.
    private final class Output: @unchecked Sendable {
        let cond = NSCondition()
        var data = Data()
        var ended = false
    }

    /// Runs `arguments[0]` (looked up on PATH) and waits at most `timeoutSeconds`.
    /// Output is drained on a thread of its own, so the time limit holds even when the
    /// command never closes its output; past it the command is SIGKILLed (by its PID),
    /// reaped, and the error names it.
    @discardableResult
    static func run(_ arguments: [String], timeoutSeconds: Double = 10) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        let output = Output()
        let reading = pipe.fileHandleForReading
        let reader = Thread {
            while true {
                let chunk = reading.availableData
                output.cond.withLock {
                    if chunk.isEmpty { output.ended = true } else { output.data.append(chunk) }
                    output.cond.broadcast()
                }
                if chunk.isEmpty { return }
            }
        }
        reader.stackSize = 128 << 10
        reader.start()
        while process.isRunning && Date() < deadline { usleep(1_000) }
        if process.isRunning {
            let pid = process.processIdentifier
            kill(pid, SIGKILL)
            process.waitUntilExit()
            throw EngineError("`\(arguments.joined(separator: " "))` timed out: did not finish within \(timeoutSeconds) s (PID \(pid) killed)")
        }
        process.waitUntilExit()
        // The command has exited; its output ends unless something it started still holds the pipe.
        let data: Data = output.cond.withLock {
            while !output.ended && output.cond.wait(until: max(deadline, Date().addingTimeInterval(0.5))) {}
            return output.data
        }
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Runs and throws with the command's output when it fails.
    static func check(_ arguments: [String], timeoutSeconds: Double = 10) throws {
        let result = try run(arguments, timeoutSeconds: timeoutSeconds)
        if result.status != 0 {
            throw EngineError("`\(arguments.joined(separator: " "))` failed (\(result.status)): \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    /// The absolute path of an executable on PATH (plus the sbin directories root uses), or nil.
    static func which(_ name: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/sbin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
