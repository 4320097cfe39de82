import Foundation
import Stats
import Testing
@testable import RaftLog
#if canImport(Glibc)
import Glibc
#endif

/// The crash test: `raftlog-crash-writer` appends with policy fsync and
/// prints each index once `append` returned; we SIGKILL it at random
/// moments (during start-up and recovery too), then reopen the log. Every
/// acknowledged entry must be there, and every entry there must be intact.
@Suite struct CrashRecoveryTests {
    /// Same formula as `CrashWorkload.payload` (written out again: the oracle is not the code under test).
    static func payload(_ index: UInt64) -> [UInt8] {
        (0..<(8 + Int(index % 57))).map { UInt8(truncatingIfNeeded: index &* 31 &+ UInt64($0) &* 7 &+ 1) }
    }

    static var writer: URL {
        var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("raftlog-crash-writer").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("raftlog-crash-writer")
    }

    @Test func sigkillLosesNothingAcknowledged() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("raftlog-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = Xoshiro256StarStar(seed: 2014)
        var acknowledged: UInt64 = 0
        var kills = 0, tornTails = 0
        for generation in UInt64(1)...40 {
            let process = Process()
            process.executableURL = Self.writer
            process.arguments = [dir.path, String(generation), "8192"]  // small segments: kills land in rolls too
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            // A random moment; until the first acknowledgement, also wait out a slow
            // process start on a busy machine, so the test bounds work, not time.
            usleep(useconds_t(5_000 + rng.next() % 150_000 + (acknowledged == 0 ? 300_000 : 0)))
            kill(process.processIdentifier, SIGKILL)
            let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "the writer exited by itself: \(output.suffix(200))")
            kills += 1
            for line in output.split(separator: "\n") {
                if line.hasPrefix("open ") {
                    // The writer's own recovery must have found everything acknowledged before.
                    #expect(UInt64(line.dropFirst(5))! >= acknowledged)
                } else if let index = UInt64(line) {
                    acknowledged = max(acknowledged, index)
                }
            }
            let log = try DurableLog(directory: dir, policy: .fsync, segmentBytes: 8192)
            if log.recovery.damage != nil { tornTails += 1 }
            #expect(log.lastIndex >= acknowledged, "acknowledged \(acknowledged), recovered \(log.lastIndex): \(log.recovery)")
            var previousTerm: UInt64 = 0
            for entry in try log.entries(from: 1, to: log.lastIndex + 1) {
                #expect(entry.payload == Self.payload(entry.index), "entry \(entry.index) is corrupt")
                #expect(entry.term >= previousTerm && entry.term <= generation)
                previousTerm = entry.term
            }
        }
        #expect(kills == 40 && acknowledged > 0)
        print("crash test: \(kills) kills, \(acknowledged) entries acknowledged, \(tornTails) reopen(s) truncated a tail")
    }
}
