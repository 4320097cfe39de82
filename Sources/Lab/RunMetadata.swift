import Foundation
import Hashing

/// What `results/<experiment>.meta.json` records beside a CSV, so a number
/// can be traced to the code, machine and command that produced it.
public struct RunMetadata: Codable, Sendable, Equatable {
    public var experiment: String
    public var gitCommit: String
    public var gitDirty: Bool
    public var swiftVersion: String
    public var cpuModel: String
    public var coreCount: Int
    public var operatingSystem: String
    public var date: String
    public var seed: UInt64
    public var scale: String
    public var parameterGrid: [String: [String]]
    public var commandLine: [String]
    public var durationSeconds: Double
    public var rows: Int
    /// The filesystem the results (and the disk-sync experiments' scratch
    /// files) live on: an fdatasync figure means nothing without it.
    public var filesystem: Filesystem? = nil
    /// xxHash64 (hex) of the CSV's bytes: the meta file is renamed into
    /// place before the CSV, so a crash between the two renames leaves a
    /// pair whose digests disagree, which ``matches(csv:)`` detects.
    public var csvDigest: String? = nil

    /// Whether `csv` is the file this metadata describes (true when no digest was recorded).
    public func matches(csv: Data) -> Bool {
        csvDigest.map { $0 == RunMetadata.digest(csv) } ?? true
    }

    public static func digest(_ csv: Data) -> String {
        String(XXHash64.hash(Array(csv), seed: 0), radix: 16)
    }

    enum CodingKeys: String, CodingKey {
        case experiment, seed, scale, rows, date, filesystem
        case csvDigest = "csv_xxhash64"
        case gitCommit = "git_commit"
        case gitDirty = "git_dirty"
        case swiftVersion = "swift_version"
        case cpuModel = "cpu_model"
        case coreCount = "core_count"
        case operatingSystem = "os"
        case parameterGrid = "parameter_grid"
        case commandLine = "command_line"
        case durationSeconds = "duration_s"
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}

/// A mount as `/proc/self/mountinfo` describes it.
public struct Filesystem: Codable, Sendable, Equatable {
    public var type: String
    public var mountPoint: String
    public var source: String
    /// Per-mount options (`rw,relatime`), then the filesystem's own (`rw,data=ordered`).
    public var mountOptions: String
    public var superOptions: String

    enum CodingKeys: String, CodingKey {
        case type, source
        case mountPoint = "mount_point"
        case mountOptions = "mount_options"
        case superOptions = "super_options"
    }

    /// The mount holding `directory`: the longest mount point that prefixes
    /// its resolved path. Nil where there is no mountinfo (not Linux).
    public static func containing(_ directory: URL) -> Filesystem? {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return nil }
        return containing(directory.resolvingSymlinksInPath().path, mountinfo: text)
    }

    static func containing(_ path: String, mountinfo: String) -> Filesystem? {
        var best: Filesystem?
        for line in mountinfo.split(separator: "\n") {
            // id parent major:minor root mount-point options [optional…] - type source super-options
            let fields = line.split(separator: " ").map(String.init)
            guard let dash = fields.firstIndex(of: "-"), dash >= 6, fields.count >= dash + 4 else { continue }
            let mountPoint = fields[4].replacingOccurrences(of: "\\040", with: " ")
            let inside = mountPoint == "/" || path == mountPoint || path.hasPrefix(mountPoint + "/")
            guard inside, mountPoint.count >= (best?.mountPoint.count ?? -1) else { continue }
            best = Filesystem(type: fields[dash + 1], mountPoint: mountPoint, source: fields[dash + 2],
                              mountOptions: fields[5], superOptions: fields[dash + 3])
        }
        return best
    }
}

/// Facts about the machine and checkout, read once per run.
public struct Environment: Sendable {
    public let gitCommit: String
    public let gitDirty: Bool
    public let swiftVersion: String
    public let cpuModel: String
    public let coreCount: Int
    public let operatingSystem: String

    public static func current() -> Environment {
        let commit = run("git", ["rev-parse", "HEAD"]) ?? "unknown"
        // Dirty means the code differs from the commit; result files being rewritten do not count.
        let status = run("git", ["status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)results"])
        return Environment(
            gitCommit: commit,
            gitDirty: !(status ?? "").isEmpty,
            swiftVersion: run("swift", ["--version"])?.split(separator: "\n").first.map(String.init) ?? "unknown",
            cpuModel: cpuModel(),
            coreCount: ProcessInfo.processInfo.activeProcessorCount,
            operatingSystem: ProcessInfo.processInfo.operatingSystemVersionString)
    }

    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown"
    }

    /// Runs a tool found on PATH and returns its trimmed standard output, or nil if it fails.
    public static func run(_ tool: String, _ arguments: [String]) -> String? {
        guard let path = Executables.find(tool) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Locating programs on PATH.
public enum Executables {
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
