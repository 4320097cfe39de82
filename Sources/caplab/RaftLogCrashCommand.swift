import ArgumentParser
import Foundation
import Lab
import RaftLog
import Tools

/// `caplab raftlog-crash`: SIGKILL a WAL writer at random moments and check that no acknowledged entry is lost.
struct RaftLogCrashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raftlog-crash",
        abstract: "SIGKILL a Raft log writer (policy fsync) at random moments; check every acknowledged entry survives.",
        discussion: """
            Each generation starts `caplab raftlog-crash-writer` on the same log, kills it by PID with SIGKILL at a \
            seeded random moment (start-up, recovery, appends, segment rolls), reopens the log and checks every entry \
            byte for byte. Prints kills, acknowledged entries, acknowledged entries lost (must be 0), corrupt entries \
            returned (must be 0) and recoveries that truncated a torn tail. Exit 0 when nothing was lost, 1 otherwise.
            """)

    @Option(name: .long, help: "SIGKILLs to deliver (CI: 50; the README figure: 1000).")
    var kills = 1000

    @Option(name: .long, help: "Seed for the kill moments.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Segment size in bytes (small: kills land in segment rolls too).")
    var segmentBytes = 16 << 10

    @Option(name: .long, help: "Directory for the log (default: a fresh temporary directory, removed afterwards).")
    var dir: String?

    func validate() throws {
        guard (1...1_000_000).contains(kills) else { throw ValidationError("--kills must be between 1 and 1000000, got \(kills)") }
        guard (4096...(1 << 30)).contains(segmentBytes) else { throw ValidationError("--segment-bytes must be between 4096 and 2^30") }
    }

    func run() throws {
        let directory = dir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("caplab-raftlog-crash-\(getpid())")
        if dir == nil { Interruption.track(directory) }
        defer { if dir == nil { try? FileManager.default.removeItem(at: directory); Interruption.untrack(directory) } }
        try reportingErrors { try AtomicFile.ensureWritableDirectory(directory) }
        Interruption.install { "caplab raftlog-crash interrupted\n" }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let interactive = ProgressReporter.stderrIsTerminal
        let report = try RaftLogCrash.run(
            writer: [executable, "raftlog-crash-writer"], directory: directory, kills: kills, seed: seed, segmentBytes: segmentBytes,
            progress: { report in
                if interactive || report.kills % 100 == 0 {
                    FileHandle.standardError.write(Data("\r\u{1B}[K\(report.kills)/\(kills) kills, \(report.acknowledged) acknowledged, \(report.lost) lost\(interactive ? "" : "\n")".utf8))
                }
            })
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        print("raftlog-crash: \(report)")
        if !report.passed { throw ExitCode.failure }
    }
}

/// The writer `raftlog-crash` kills (internal).
struct RaftLogCrashWriterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raftlog-crash-writer",
        abstract: "Append to a DurableLog with policy fsync forever, printing each acknowledged index (internal).",
        shouldDisplay: false)

    @Argument var directory: String
    @Argument var term: UInt64
    @Argument var segmentBytes: Int

    func run() throws {
        try CrashWorkload.runWriter(directory: URL(fileURLWithPath: directory), term: term, segmentBytes: segmentBytes)
    }
}
