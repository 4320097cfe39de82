import Foundation
import Lab
import RaftLog
import Stats

/// `raftlog-recovery`: how long opening a WAL takes (read every segment,
/// check every CRC, replay every record into memory) against log size.
/// The log is written once per size with policy `none` and 64 MiB
/// segments, then reopened `samples` times; the files are in the page
/// cache, so this is the CPU cost of replay plus reading from cache (a cold
/// start adds the disk's read time). Each reopen also reads the zero-filled
/// preallocated rest of the last segment, so small logs show a floor.
enum RaftLogRecovery {
    static let name = "raftlog-recovery"
    static let entryBytes = 256

    static func entryCounts(_ scale: Scale) -> [Int] {
        switch scale {
        case .quick: return [1_000, 10_000]
        case .standard: return [1_000, 10_000, 100_000, 400_000]
        case .full: return [1_000, 10_000, 100_000, 1_000_000]
        }
    }
    static func samples(_ scale: Scale) -> Int { scale == .quick ? 3 : (scale == .standard ? 5 : 11) }

    static let columns = Columns(
        Column("entries", "entries in the log"),
        Column("entry_bytes", "payload bytes per entry"),
        Column("log_bytes", "bytes of valid records replayed"),
        Column("segments", "segment files read"),
        Column("samples", "timed reopens"),
        Column("recovery_ms_median", "median ms to open the log (read, check, replay)"),
        Column("recovery_ms_min", "fastest reopen, ms"),
        Column("recovery_ms_max", "slowest reopen, ms"),
        Column("replay_mb_s_median", "log_bytes / median recovery time, MB (10^6 bytes) per second"),
        Column("entries_s_median", "entries recovered per second at the median"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "WAL recovery time (read, CRC-check and replay every segment) against log size",
        parameters: [
            Parameter("entries", "entries in the log") { entryCounts($0).map(String.init) },
            Parameter("entry_bytes", "payload bytes per entry") { _ in [String(entryBytes)] },
            Parameter("samples", "timed reopens per size") { [String(samples($0))] },
        ],
        columns: columns,
        summaryColumns: ["entries", "log_bytes", "segments", "recovery_ms_median", "recovery_ms_min", "recovery_ms_max", "replay_mb_s_median"],
        steps: { scale in entryCounts(scale).count * (1 + samples(scale)) },
        run: run)

    static func run(_ context: RunContext) throws -> [Row] {
        let scratch = try RaftLogLimits.scratchDirectory(context, name)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var rows: [Row] = []
        let sampleCount = samples(context.scale)
        for entries in entryCounts(context.scale) {
            let dir = scratch.appendingPathComponent(String(entries))
            defer { try? FileManager.default.removeItem(at: dir) }
            var rng = context.rng("\(name)/payload/\(entries)")
            do {
                let log = try DurableLog(directory: dir, policy: .none)
                var batch = EntryBatch(reservingEntries: 1000, bytes: 1000 * entryBytes)
                var written = 0
                while written < entries {
                    batch.removeAll()
                    for _ in 0..<min(1000, entries - written) {
                        batch.append(term: 1 + UInt64(written / 10_000), payload: (0..<entryBytes).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
                        written += 1
                    }
                    try log.append(batch)
                }
            }
            context.progress.advance("entries=\(entries) written")
            var times: [Double] = []
            var report = RecoveryReport()
            for round in 0..<sampleCount {
                let start = monotonicNanoseconds()
                let log = try DurableLog(directory: dir, policy: .none)
                times.append(Double(monotonicNanoseconds() &- start))
                report = log.recovery
                guard report.entriesRecovered == entries, report.damage == nil else {
                    throw RaftLogError.io(operation: "recovery check (\(report))", path: dir.path, errno: 0)
                }
                context.progress.advance("entries=\(entries) reopen \(round + 1)/\(sampleCount)")
            }
            let t = Summary(times.map { $0 / 1e6 })
            rows.append(columns.row(
                String(entries), String(entryBytes), String(report.bytesReplayed), String(report.segmentsScanned), String(sampleCount),
                Cell.fixed(t.median, 3), Cell.fixed(t.min, 3), Cell.fixed(t.max, 3),
                Cell.fixed(Double(report.bytesReplayed) / (t.median * 1e3), 1),
                Cell.fixed(Double(entries) / (t.median / 1e3), 0),
            ))
        }
        return rows
    }
}
