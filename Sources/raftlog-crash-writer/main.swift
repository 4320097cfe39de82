// raftlog-crash-writer DIRECTORY TERM SEGMENT_BYTES
//
// A test helper, not a user command: opens the DurableLog in DIRECTORY with
// policy fsync (recovering whatever a previous, killed run left), prints
// "open <lastIndex>", then appends one entry per call with TERM forever and
// prints each index once `append` has returned (so once it is fdatasync'ed).
// The crash test in Tests/RaftLogTests kills it with SIGKILL at random moments.
import Foundation
import RaftLog
#if canImport(Glibc)
import Glibc
#endif

/// Payload of entry `index`; Tests/RaftLogTests/CrashRecoveryTests.swift checks it byte for byte.
func crashTestPayload(_ index: UInt64) -> [UInt8] { CrashWorkload.payload(index) }

func say(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    bytes.withUnsafeBytes { _ = write(1, $0.baseAddress, $0.count) }
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let term = UInt64(arguments[2]), let segmentBytes = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: raftlog-crash-writer DIRECTORY TERM SEGMENT_BYTES\n".utf8))
    exit(2)
}
do {
    let log = try DurableLog(directory: URL(fileURLWithPath: arguments[1]), policy: .fsync, segmentBytes: segmentBytes)
    say("open \(log.lastIndex)")
    var batch = EntryBatch()
    while log.lastIndex < 10_000_000 {
        let index = log.lastIndex + 1
        batch.removeAll()
        batch.append(term: term, payload: crashTestPayload(index))
        try log.append(batch)
        say(String(index))
    }
} catch {
    FileHandle.standardError.write(Data("raftlog-crash-writer: \(error)\n".utf8))
    exit(1)
}
