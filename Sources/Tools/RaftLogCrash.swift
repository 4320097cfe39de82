import Foundation
import Lab
import RaftLog
import Stats
#if canImport(Glibc)
import Glibc
#endif

/// `caplab raftlog-crash`: the WAL's durability under SIGKILL, at scale.
///
/// A writer process (`caplab raftlog-crash-writer`, the loop of
/// `CrashWorkload.runWriter` in RaftLog) opens the ``DurableLog`` with
/// policy fsync — recovering whatever the previous, killed writer left —
/// and appends one entry at a time, printing each index once `append`
/// returned (the entry is fdatasync'ed: acknowledged). The harness kills it
/// with SIGKILL at a random moment (during start-up, recovery, an append,
/// a segment roll), by PID, then reopens the log itself and checks that
/// every acknowledged entry is there with the payload ``CrashWorkload``
/// gives it, that no entry after it is corrupt, and that terms never go
/// down. A lost entry is one acknowledged but missing or wrong after
/// recovery; the claim under test is that there are none. This is the
/// "crash at any point" test of ALICE (Pillai et al., OSDI 2014) reduced
/// to what a process kill can do (the page cache survives, so torn tails
/// come from a kill during a `pwrite`; power-loss faults are the
/// fault-injection tests' business).
///
/// Cost: one process start and one full recovery plus scan per kill.
public enum RaftLogCrash {
    public struct Report: Sendable, Equatable, CustomStringConvertible {
        public var kills = 0
        /// The highest index acknowledged by any writer (entries are appended one by one).
        public var acknowledged: UInt64 = 0
        /// Acknowledged entries missing or corrupt after a recovery (must be 0).
        public var lost: UInt64 = 0
        /// Entries after the acknowledged ones found corrupt (must be 0: a torn tail is truncated, never returned).
        public var corrupt: UInt64 = 0
        /// Recoveries that found a damaged tail and truncated it.
        public var tornTailsTruncated = 0
        /// Writers that exited by themselves instead of being killed (must be 0).
        public var unexpectedExits = 0
        /// Bytes of damaged tails truncated, over all recoveries.
        public var bytesTruncated = 0
        public var problems: [String] = []

        public var description: String {
            var text = "\(kills) SIGKILLs, \(acknowledged) entries acknowledged, \(lost) acknowledged entries lost, "
                + "\(corrupt) corrupt entries returned, \(tornTailsTruncated) recoveries truncated a torn tail (\(bytesTruncated) bytes)"
            if unexpectedExits > 0 { text += ", \(unexpectedExits) writer(s) exited by themselves" }
            for problem in problems.prefix(10) { text += "\n  " + problem }
            return text
        }

        public var passed: Bool { lost == 0 && corrupt == 0 && unexpectedExits == 0 && acknowledged > 0 && problems.isEmpty }
    }

    /// Runs `kills` generations of the writer `command` (arguments: directory, term, segment bytes
    /// appended) on a log in `directory`, killing each at a moment drawn from `seed`.
    public static func run(
        writer command: [String], directory: URL, kills: Int, seed: UInt64, segmentBytes: Int = 16 << 10,
        progress: (Report) -> Void = { _ in }
    ) throws -> Report {
        var rng = Xoshiro256StarStar(seed: seed)
        var report = Report()
        for generation in UInt64(1)...UInt64(max(kills, 1)) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst()) + [directory.path, String(generation), String(segmentBytes)]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let pid = process.processIdentifier
            // Ctrl-C or SIGTERM to the harness kills this writer too (by its PID, until it is reaped).
            Interruption.beforeExit("raftlog-crash-writer") { kill(pid, SIGKILL) }
            // Wait until the writer has opened the log (or the moment falls in its start-up), then a random moment.
            let moment = rng.next() % 100
            if moment < 10 {
                usleep(useconds_t(rng.next() % 20_000))  // start-up and recovery
            } else {
                waitForOpen(out.fileHandleForReading)
                usleep(useconds_t(rng.next() % 30_000))
            }
            kill(pid, SIGKILL)
            let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            Interruption.removeHook("raftlog-crash-writer")
            if process.terminationReason != .uncaughtSignal { report.unexpectedExits += 1 }
            report.kills += 1
            for line in output.split(separator: "\n") {
                if line.hasPrefix("open ") {
                    if let opened = UInt64(line.dropFirst(5)), opened < report.acknowledged {
                        report.problems.append("generation \(generation): the writer recovered \(opened) entries, \(report.acknowledged) were acknowledged")
                    }
                } else if let index = UInt64(line) {
                    report.acknowledged = max(report.acknowledged, index)
                }
            }
            try check(directory: directory, segmentBytes: segmentBytes, generation: generation, into: &report)
            progress(report)
        }
        return report
    }

    /// Waits (at most 5 s) until the writer has printed its first line, "open N" (the log is recovered),
    /// polling the pipe without consuming it: everything is read after the kill.
    static func waitForOpen(_ handle: FileHandle) {
        var fds = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&fds, 1, 5_000)
    }

    /// Reopens the log as a new leader would and checks every entry.
    static func check(directory: URL, segmentBytes: Int, generation: UInt64, into report: inout Report) throws {
        let log: DurableLog
        do {
            log = try DurableLog(directory: directory, policy: .fsync, segmentBytes: segmentBytes)
        } catch {
            report.problems.append("generation \(generation): the log did not open: \(error)")
            report.lost = report.acknowledged
            return
        }
        if log.recovery.damage != nil {
            report.tornTailsTruncated += 1
            report.bytesTruncated += log.recovery.bytesTruncated
        }
        if log.lastIndex < report.acknowledged { report.lost += report.acknowledged - log.lastIndex }
        var previousTerm: UInt64 = 0
        var from: UInt64 = 1
        while from <= log.lastIndex {
            let to = min(log.lastIndex + 1, from + 4096)
            for entry in try log.entries(from: from, to: to) {
                let bad = entry.payload != CrashWorkload.payload(entry.index) || entry.term < previousTerm || entry.term > generation
                if bad {
                    if entry.index <= report.acknowledged { report.lost += 1 } else { report.corrupt += 1 }
                    report.problems.append("generation \(generation): entry \(entry.index) (term \(entry.term)) is corrupt")
                }
                previousTerm = entry.term
            }
            from = to
        }
    }
}
