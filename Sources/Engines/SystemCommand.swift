import Foundation

/// Short-lived helper commands (`ip`, `iptables`): run to completion, bounded
/// in time, output captured. Long-lived servers go through ``ProcessSupervisor``.
enum SystemCommand {
    struct Result { let status: Int32; let output: String }

    /// Runs `arguments[0]` (looked up on PATH) and waits at most `timeoutSeconds`.
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
        // Read while waiting so a chatty command never blocks on a full pipe.
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        while process.isRunning && Date() < deadline { usleep(1_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw EngineError("`\(arguments.joined(separator: " "))` did not finish within \(timeoutSeconds) s")
        }
        process.waitUntilExit()
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
