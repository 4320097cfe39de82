// raftlog-crash-writer DIRECTORY TERM SEGMENT_BYTES
//
// A test helper, not a user command: the loop of
// `CrashWorkload.runWriter` (RaftLog) — the same one `caplab
// raftlog-crash-writer` runs — as a small executable the crash test in
// Tests/RaftLogTests starts and kills with SIGKILL at random moments.
import Foundation
import RaftLog

let arguments = CommandLine.arguments
guard arguments.count == 4, let term = UInt64(arguments[2]), let segmentBytes = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: raftlog-crash-writer DIRECTORY TERM SEGMENT_BYTES\n".utf8))
    exit(2)
}
do {
    try CrashWorkload.runWriter(directory: URL(fileURLWithPath: arguments[1]), term: term, segmentBytes: segmentBytes)
} catch {
    FileHandle.standardError.write(Data("raftlog-crash-writer: \(error)\n".utf8))
    exit(1)
}
