import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The writer side of the WAL crash harnesses, shared by the standalone
/// `raftlog-crash-writer` (the `RaftLogTests` crash test) and
/// `caplab raftlog-crash-writer` (what `caplab raftlog-crash` kills).
extension CrashWorkload {
    /// Opens the ``DurableLog`` in `directory` with policy fsync — recovering
    /// whatever a previous, killed writer left — prints `open <lastIndex>`,
    /// then appends one entry of `term` at a time with ``payload(_:)`` and
    /// prints each index once `append` has returned (the entry is
    /// fdatasync'ed: acknowledged). Meant to be SIGKILLed; returns only when
    /// the log holds `limit` entries (a bound on a harness that forgets to kill).
    ///
    /// Each line goes out with one unbuffered write(2), so a kill right after
    /// an acknowledgement cannot lose its line.
    ///
    /// - Cost: one append + one fdatasync per entry, plus the recovery scan at open.
    public static func runWriter(directory: URL, term: UInt64, segmentBytes: Int, limit: UInt64 = 10_000_000) throws {
        let log = try DurableLog(directory: directory, policy: .fsync, segmentBytes: segmentBytes)
        say("open \(log.lastIndex)")
        var batch = EntryBatch()
        while log.lastIndex < limit {
            let index = log.lastIndex + 1
            batch.removeAll()
            batch.append(term: term, payload: payload(index))
            _ = try log.append(batch)
            say(String(index))
        }
    }

    /// One line on stdout with one write(2).
    static func say(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBytes { _ = Glibc.write(1, $0.baseAddress, $0.count) }
    }
}
