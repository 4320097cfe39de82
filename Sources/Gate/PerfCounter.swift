import Foundation
import Lab

/// Whether `perf` can count hardware instructions here, and reading its
/// CSV output (`perf stat -x ,`). Virtual machines often expose no
/// performance counters: perf then prints `<not supported>` and exits 0,
/// so the probe reads the count rather than the exit status.
enum PerfProbe {
    static func hardwareInstructionsCounted() -> Bool {
        guard let perf = Executables.find("perf") else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: perf)
        process.arguments = ["stat", "-x", ",", "-e", "instructions:u", "true"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 && instructions(in: text) != nil
    }

    /// The count from a `perf stat -x ,` line `COUNT,,instructions:u,...`;
    /// nil for `<not supported>` or `<not counted>`.
    static func instructions(in text: String) -> UInt64? {
        for line in text.split(separator: "\n") where line.contains(",instructions") {
            if let value = line.split(separator: ",", omittingEmptySubsequences: false).first.flatMap({ UInt64($0) }) {
                return value
            }
        }
        return nil
    }
}
