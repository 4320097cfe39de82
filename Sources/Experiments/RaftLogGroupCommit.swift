import Foundation
import Lab
import RaftLog
import Stats

/// `raftlog-group-commit`: appends/s and append latency against the number
/// of concurrent appenders, for policy `fsync` (every append syncs, one
/// after another) and `group` (the first appender in line syncs for all
/// that wrote meanwhile). One append is one 256-byte entry. Each appender is
/// a thread that appends as fast as its appends return (closed loop), so
/// latency is per append from call to return.
enum RaftLogGroupCommit {
    static let name = "raftlog-group-commit"
    static let entryBytes = 256
    static let policies: [DurabilityPolicy] = [.fsync, .group]

    static func appenderCounts(_ scale: Scale) -> [Int] { scale == .quick ? [1, 4, 16] : [1, 2, 4, 8, 16] }
    static func appendsPerSample(_ scale: Scale) -> Int { scale == .quick ? 64 : (scale == .standard ? 320 : 1280) }
    static func samples(_ scale: Scale) -> Int { scale == .quick ? 2 : (scale == .standard ? 3 : 7) }

    static let columns = Columns(
        Column("policy", "fsync (each append syncs) or group (appenders share a sync)"),
        Column("appenders", "concurrent appending threads"),
        Column("appends", "appends per sample"),
        Column("samples", "timed samples"),
        Column("appends_s_median", "median appends per second over a sample"),
        Column("appends_s_min", "slowest sample, appends per second"),
        Column("appends_s_max", "fastest sample, appends per second"),
        Column("latency_us_p50", "median append latency, µs, over every append of every sample"),
        Column("latency_us_p99", "99th percentile append latency, µs"),
        Column("appends_per_sync", "appends divided by fdatasync calls: how many appends one sync covered"),
        Column("fdatasync_us_median", "median fdatasync latency in the same directory, probes spread over this run"),
        Column("x_of_limit", "appends_s_median × fdatasync median: appends per sync-time; 1 = one append per fdatasync"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "WAL appends/s and latency against concurrent appenders, policy fsync against group commit",
        parameters: [
            Parameter("policy", "durability policy") { _ in policies.map(\.rawValue) },
            Parameter("appenders", "concurrent appending threads") { appenderCounts($0).map(String.init) },
            Parameter("appends", "appends per sample, split evenly over the appenders") { [String(appendsPerSample($0))] },
            Parameter("entry_bytes", "payload bytes per entry") { _ in [String(entryBytes)] },
            Parameter("samples", "timed samples per configuration") { [String(samples($0))] },
        ],
        columns: columns,
        summaryColumns: ["policy", "appenders", "appends_s_median", "latency_us_p50", "latency_us_p99", "appends_per_sync", "x_of_limit"],
        steps: { scale in 1 + appenderCounts(scale).count * samples(scale) },
        run: run)

    /// Collects each appender's histogram; one per thread, merged at the end.
    final class Results: @unchecked Sendable {
        let lock = NSLock()
        var histogram = LatencyHistogram()
        var error: Error?
        func add(_ h: LatencyHistogram) { lock.lock(); histogram.merge(h); lock.unlock() }
        func fail(_ e: Error) { lock.lock(); error = e; lock.unlock() }
    }

    /// One sample: `appenders` threads each append `perAppender` entries.
    /// Returns the wall time in ns and the number of syncs.
    static func sample(policy: DurabilityPolicy, appenders: Int, perAppender: Int, payload: [UInt8], dir: URL, results: Results) throws -> (Double, UInt64) {
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = try DurableLog(directory: dir, policy: policy)
        let go = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for _ in 0..<appenders {
            done.enter()
            let thread = Thread {
                var batch = EntryBatch()
                batch.append(term: 1, payload: payload)
                var histogram = LatencyHistogram()
                go.wait()
                do {
                    for _ in 0..<perAppender {
                        let start = monotonicNanoseconds()
                        try log.append(batch)
                        histogram.record(nanoseconds: monotonicNanoseconds() &- start)
                    }
                } catch {
                    results.fail(error)
                }
                results.add(histogram)
                done.leave()
            }
            thread.start()
        }
        let start = monotonicNanoseconds()
        for _ in 0..<appenders { go.signal() }
        done.wait()
        let elapsed = Double(monotonicNanoseconds() &- start)
        if let error = results.error { throw error }
        return (elapsed, log.syncCount)
    }

    static func run(_ context: RunContext) throws -> [Row] {
        let scratch = try RaftLogLimits.scratchDirectory(context, name)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // fdatasync probes up front and in every round, so the limit sees the same disk weather.
        var probes = try RaftLogLimits.fdatasyncNanoseconds(in: scratch, count: 100)
        context.progress.advance("limit: fdatasync median \(Cell.fixed(Summary(probes).median / 1000, 1)) µs so far")
        var measured: [(appenders: Int, appends: Int, rates: [[Double]], syncs: [UInt64], results: [Results])] = []
        var rng = context.rng("\(name)/payload")
        let payload = (0..<entryBytes).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let sampleCount = samples(context.scale)
        for appenders in appenderCounts(context.scale) {
            let perAppender = appendsPerSample(context.scale) / appenders
            let appends = perAppender * appenders
            var rates = Array(repeating: [Double](), count: policies.count)
            var syncs = Array(repeating: UInt64(0), count: policies.count)
            let results = policies.map { _ in Results() }
            for round in 0..<sampleCount {
                for offset in 0..<policies.count {
                    let i = (round + offset) % policies.count
                    let (ns, syncCount) = try sample(
                        policy: policies[i], appenders: appenders, perAppender: perAppender, payload: payload,
                        dir: scratch.appendingPathComponent("\(appenders)-\(round)-\(i)"), results: results[i])
                    rates[i].append(Double(appends) / (ns / 1e9))
                    syncs[i] += syncCount
                }
                probes += try RaftLogLimits.fdatasyncNanoseconds(in: scratch, count: 10)
                context.progress.advance("appenders=\(appenders) round \(round + 1)/\(sampleCount)")
            }
            measured.append((appenders, appends, rates, syncs, results))
        }
        let syncMedian = Summary(probes).median
        var rows: [Row] = []
        for (appenders, appends, rates, syncs, results) in measured {
            for (i, policy) in policies.enumerated() {
                let rate = Summary(rates[i])
                let h = results[i].histogram
                rows.append(columns.row(
                    policy.rawValue, String(appenders), String(appends), String(sampleCount),
                    Cell.fixed(rate.median, 0), Cell.fixed(rate.min, 0), Cell.fixed(rate.max, 0),
                    Cell.fixed(Double(h.value(atPercentile: 50)) / 1000, 1),
                    Cell.fixed(Double(h.value(atPercentile: 99)) / 1000, 1),
                    Cell.fixed(Double(appends * sampleCount) / Double(max(syncs[i], 1)), 2),
                    Cell.fixed(syncMedian / 1000, 1),
                    Cell.fixed(rate.median * syncMedian / 1e9, 2),
                ))
            }
        }
        return rows
    }
}
