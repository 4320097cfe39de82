import Foundation
import RaftLog
import Testing
@testable import Tools
#if canImport(Glibc)
import Glibc
#endif

/// `caplab raftlog-crash` (quick count) and the checks it makes.
@Suite struct RaftLogCrashTests {
    @Test func killsLoseNoAcknowledgedEntry() throws {
        let dir = try TemporaryDirectory()
        let report = try RaftLogCrash.run(
            writer: [CLITests.binary.path, "raftlog-crash-writer"], directory: dir.url.appendingPathComponent("log"), kills: 30, seed: 7)
        #expect(report.kills == 30)
        #expect(report.passed, "\(report)")
        #expect(report.acknowledged > 0)
        print("raftlog-crash quick: \(report)")
    }

    /// The checker itself: an acknowledged entry that is missing, or present with the wrong payload, counts as lost.
    @Test func theCheckCountsMissingAndWrongEntries() throws {
        let dir = try TemporaryDirectory()
        let log = try DurableLog(directory: dir.url, policy: .fsync, segmentBytes: 16 << 10)
        var batch = EntryBatch()
        for index in UInt64(1)...10 {
            batch.append(term: 1, payload: index == 4 ? [0xFF] : CrashWorkload.payload(index))
        }
        _ = try log.append(batch)
        var report = RaftLogCrash.Report()
        report.acknowledged = 12  // two more than the log holds
        try RaftLogCrash.check(directory: dir.url, segmentBytes: 16 << 10, generation: 1, into: &report)
        #expect(report.lost == 3)  // entries 11 and 12 missing, entry 4 wrong
        #expect(!report.passed)
    }

    /// Ctrl-C in the middle of a Raft log experiment: exit 130, the 64 MiB
    /// scratch directory gone, and the message says how to resume.
    @Test func sigintRemovesScratchAndSaysHowToResume() throws {
        let dir = try TemporaryDirectory()
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["run", "raftlog-append", "--quick", "--out", dir.url.path]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait for the scratch directory (bounded by work: the experiment creates it first).
        var scratch: [String] = []
        for _ in 0..<1200 where scratch.isEmpty && process.isRunning {
            usleep(50_000)
            scratch = (try? FileManager.default.contentsOfDirectory(atPath: dir.url.path))?.filter { $0.contains("-scratch-") } ?? []
        }
        #expect(!scratch.isEmpty, "no scratch directory appeared")
        kill(process.processIdentifier, SIGINT)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(message)")
        #expect(message.contains("resume with: caplab run raftlog-append --quick --out"), "\(message)")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
        #expect(left.filter { $0.hasPrefix(".") } == [], "left behind: \(left)")
        #expect(left.contains("raftlog-append.journal"))
    }
}
