import Foundation

// ring-peers does not link Lab, so it writes its `<name>.meta.json` here,
// with the same keys as Lab's RunMetadata, so `make check-results` can hold
// it to the same commit as every other result.

/// Standard output of `git ARGUMENTS` in the current directory, or nil.
func gitOutput(_ arguments: [String]) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return process.terminationStatus == 0 ? text.trimmingCharacters(in: .whitespacesAndNewlines) : nil
}

/// Writes `csvPath` with `.csv` replaced by `.meta.json`.
func writeRunMeta(csvPath: String, seed: UInt64, quick: Bool, grid: [String: [String]], rows: Int, seconds: Double) throws {
    // Dirty means the code differs from the commit; rewritten results do not count.
    let status = gitOutput(["status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)results"])
    let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("model name") }
        .flatMap { $0.split(separator: ":", maxSplits: 1).last }
        .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
    let meta: [String: Any] = [
        "experiment": "ring-peers",
        "git_commit": gitOutput(["rev-parse", "HEAD"]) ?? "unknown",
        "git_dirty": !(status ?? "").isEmpty,
        "cpu_model": cpu,
        "core_count": ProcessInfo.processInfo.activeProcessorCount,
        "os": ProcessInfo.processInfo.operatingSystemVersionString,
        "date": ISO8601DateFormatter().string(from: Date()),
        "seed": seed,
        "scale": quick ? "quick" : "standard",
        "parameter_grid": grid,
        "command_line": CommandLine.arguments,
        "duration_s": (seconds * 1000).rounded() / 1000,
        "rows": rows,
    ]
    let data = try JSONSerialization.data(withJSONObject: meta, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    let base = csvPath.hasSuffix(".csv") ? String(csvPath.dropLast(4)) : csvPath
    try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: base + ".meta.json"), options: .atomic)
}
