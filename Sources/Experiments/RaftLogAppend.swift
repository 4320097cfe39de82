import Foundation
import Lab
import RaftLog
import Stats

/// `raftlog-append`: what appending to a Raft log costs, per storage
/// variant and durability policy, against entry size and batch size — and
/// how close that is to the machine's limit measured in the same run
/// (memcpy bandwidth for memory; for the WAL with fsync, a probe that does
/// the WAL's own writes and syncs without its records, so a floor).
///
/// For each (entry size, batch size) the variants are measured in
/// interleaved rounds. One sample appends a fixed number of identical
/// batches (built before the clock starts) to a fresh log: the in-memory
/// log has its capacity reserved, the WAL opens a fresh directory with a
/// preallocated segment, so a sample measures steady-state appends.
enum RaftLogAppend {
    static let name = "raftlog-append"

    enum Variant: String, CaseIterable {
        case memory = "memory"
        case walNone = "wal-none"
        case walFsync = "wal-fsync"

        var policy: String {
            switch self {
            case .memory: return "-"
            case .walNone: return DurabilityPolicy.none.rawValue
            case .walFsync: return DurabilityPolicy.fsync.rawValue
            }
        }

        /// Payload bytes one sample appends (at least one batch); fsync samples
        /// hold up to 200 appends (a sample of 20 swung by 10× with one slow
        /// sync) and at most 8 MiB, so the grid stays within a minute.
        func batches(entryBytes: Int, batch: Int) -> Int {
            let bytes = entryBytes * batch
            switch self {
            case .memory: return max(1, (8 << 20) / bytes)
            case .walNone: return max(1, (4 << 20) / bytes)
            case .walFsync: return max(1, min(200, (8 << 20) / bytes))
            }
        }
    }

    static func entrySizes(_ scale: Scale) -> [Int] { scale == .quick ? [64, 1024] : [64, 256, 1024, 16384] }
    static func batchSizes(_ scale: Scale) -> [Int] { scale == .quick ? [1, 100] : [1, 10, 100, 1000] }
    static func samples(_ scale: Scale) -> Int { scale == .quick ? 3 : (scale == .standard ? 11 : 21) }
    static func syncProbes(_ scale: Scale) -> Int { scale == .quick ? 100 : 400 }

    static let columns = Columns(
        Column("variant", "memory, wal-none or wal-fsync"),
        Column("policy", "WAL durability policy (- for memory)"),
        Column("entry_bytes", "payload bytes per entry"),
        Column("batch", "entries per append call"),
        Column("entries_per_sample", "entries appended per timed sample"),
        Column("samples", "timed samples"),
        Column("entries_s_median", "median entries appended per second"),
        Column("entries_s_min", "slowest sample, entries per second"),
        Column("entries_s_max", "fastest sample, entries per second"),
        Column("mb_s_median", "median payload MB (10^6 bytes) per second"),
        Column("batch_us_median", "median µs per append call (one batch)"),
        Column("limit", "what the variant is compared with: memcpy or fdatasync"),
        Column("limit_us", "µs the limit takes for one batch: memcpy of its payload (median), or (wal-fsync) the fastest of the sync probe's samples, interleaved with the WAL's, appending the batch's payload the WAL's way into a fresh preallocated file"),
        Column("x_of_limit", "batch_us_median / limit_us; for wal-fsync a floor, so below 1.0 means the probe is wrong"),
        Column("fdatasync_us_median", "median fdatasync latency in the scratch directory, probes spread over this run"),
        Column("fdatasync_us_p99", "99th percentile fdatasync latency, this run"),
        Column("memcpy_gb_s", "memcpy bandwidth copying the same batches into a fresh buffer, GB/s (median), this run"),
        Column("entries_s_ci_low", "distribution-free 95 % confidence interval for entries_s_median, low end"),
        Column("entries_s_ci_high", "distribution-free 95 % confidence interval for entries_s_median, high end"),
        Column("limit_written_us", "wal-fsync: the sync probe into a preallocated region already written and synced (no extent conversion), µs per batch, fastest sample; empty otherwise"),
        Column("memcpy_gb_s_min", "slowest memcpy sample for this configuration, GB/s"),
        Column("memcpy_gb_s_max", "fastest memcpy sample for this configuration, GB/s"),
        Column("limit_median_us", "wal-fsync: median of the same fresh-region probe samples whose fastest is limit_us, µs per batch; empty otherwise"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "Raft log append throughput per variant (memory, WAL none/fsync) against entry and batch size, with the fdatasync and memcpy limits",
        parameters: [
            Parameter("variant", "storage variant and durability policy") { _ in Variant.allCases.map(\.rawValue) },
            Parameter("entry_bytes", "payload bytes per entry") { entrySizes($0).map(String.init) },
            Parameter("batch", "entries per append call") { batchSizes($0).map(String.init) },
            Parameter("samples", "timed samples per configuration") { [String(samples($0))] },
            Parameter("fdatasync_limit", "how limit_us is defined for wal-fsync") { _ in [RaftLogLimits.floorDefinition] },
            Parameter("fdatasync_probes", "fdatasync calls timed for the limit (about; half up front, the rest spread over the rounds)") { [String(syncProbes($0))] },
        ],
        columns: columns,
        summaryColumns: ["variant", "entry_bytes", "batch", "entries_s_median", "mb_s_median", "batch_us_median", "x_of_limit"],
        steps: { scale in 1 + entrySizes(scale).count * batchSizes(scale).count * samples(scale) },
        run: run)

    /// Appends `count` copies of `batch`; specialised per storage type.
    @inline(never)
    static func appendBatches<L: RaftLogStorage>(_ log: inout L, _ batch: EntryBatch, count: Int) throws -> UInt64 {
        var last: UInt64 = 0
        for _ in 0..<count { last = try log.append(batch) }
        return last
    }

    /// `entries` entries of `entryBytes` random bytes each, term 1.
    static func makeBatch(entries: Int, entryBytes: Int, rng: inout Xoshiro256StarStar) -> EntryBatch {
        var batch = EntryBatch(reservingEntries: entries, bytes: entries * entryBytes)
        for _ in 0..<entries {
            batch.append(term: 1, payload: (0..<entryBytes).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        }
        return batch
    }

    /// One timed sample in nanoseconds.
    static func sample(_ variant: Variant, _ batch: EntryBatch, batches: Int, scratch: URL, label: String) throws -> Double {
        switch variant {
        case .memory:
            var log = InMemoryLog(reservingEntries: batch.count * batches, bytes: batch.bytes.count * batches)
            let start = monotonicNanoseconds()
            let last = try appendBatches(&log, batch, count: batches)
            let elapsed = monotonicNanoseconds() &- start
            blackHole(last)
            return Double(elapsed)
        case .walNone, .walFsync:
            let dir = scratch.appendingPathComponent(label)
            defer { try? FileManager.default.removeItem(at: dir) }
            var log = try DurableLog(directory: dir, policy: variant == .walNone ? .none : .fsync)
            let start = monotonicNanoseconds()
            let last = try appendBatches(&log, batch, count: batches)
            let elapsed = monotonicNanoseconds() &- start
            blackHole(last)
            return Double(elapsed)
        }
    }

    static func run(_ context: RunContext) throws -> [Row] {
        let scratch = try RaftLogLimits.scratchDirectory(context, name)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // fdatasync probes: a block up front, then a few in every round, so the
        // limit sees the same disk weather as the appends it is compared with.
        var syncs = try RaftLogLimits.fdatasyncNanoseconds(in: scratch, count: syncProbes(context.scale) / 2)
        let probesPerRound = max(2, syncProbes(context.scale) / 2 / (entrySizes(context.scale).count * batchSizes(context.scale).count * samples(context.scale)))
        context.progress.advance("limit: fdatasync median \(Cell.fixed(Summary(syncs).median / 1000, 1)) µs so far")
        var measured: [(variant: Variant, entryBytes: Int, batch: Int, batches: Int, times: [Double], copies: Summary,
                        probe: (fresh: Double, freshMedian: Double, written: Double))] = []

        let sampleCount = samples(context.scale)
        for entryBytes in entrySizes(context.scale) {
            for batchSize in batchSizes(context.scale) {
                var rng = context.rng("\(name)/payload/\(entryBytes)")
                let batch = makeBatch(entries: batchSize, entryBytes: entryBytes, rng: &rng)
                let variants = Variant.allCases
                var times = Array(repeating: [Double](), count: variants.count)
                // The memcpy limit has the memory variant's shape: the same batches into a fresh buffer.
                let memoryBatches = Variant.memory.batches(entryBytes: entryBytes, batch: batchSize)
                var copies: [Double] = []
                let syncBatches = Variant.walFsync.batches(entryBytes: entryBytes, batch: batchSize)
                var probes = Array(repeating: [Double](), count: RaftLogLimits.SyncRegion.allCases.count)
                // Each round times the three variants and the two probes in a rotated
                // order, so the probe samples share the WAL samples' moments.
                let slots = variants.count + RaftLogLimits.SyncRegion.allCases.count
                for round in 0..<sampleCount {
                    copies.append(batch.bytes.withUnsafeBytes { RaftLogLimits.memcpyNanoseconds($0, times: memoryBatches) })
                    syncs += try RaftLogLimits.fdatasyncNanoseconds(in: scratch, count: probesPerRound)
                    for offset in 0..<slots {
                        let i = (round + offset) % slots
                        if i < variants.count {
                            let batches = variants[i].batches(entryBytes: entryBytes, batch: batchSize)
                            times[i].append(try sample(variants[i], batch, batches: batches, scratch: scratch, label: "\(round)-\(i)"))
                        } else {
                            let r = i - variants.count
                            probes[r].append(try RaftLogLimits.appendSyncNanoseconds(
                                in: scratch, bytes: batch.bytes.count, appends: syncBatches, region: RaftLogLimits.SyncRegion.allCases[r]))
                        }
                    }
                    context.progress.advance("entry=\(entryBytes) B batch=\(batchSize) round \(round + 1)/\(sampleCount)")
                }
                let copyRates = Summary(copies.map { Double(batch.bytes.count * memoryBatches) / $0 })
                let probe = (fresh: RaftLogLimits.floor(probes[0]), freshMedian: Summary(probes[0]).median,
                             written: RaftLogLimits.floor(probes[1]))
                for (i, variant) in variants.enumerated() {
                    measured.append((variant, entryBytes, batchSize, variant.batches(entryBytes: entryBytes, batch: batchSize), times[i], copyRates, probe))
                }
            }
        }
        let syncMedian = Summary(syncs).median
        let syncP99 = RaftLogLimits.percentile(syncs, 0.99)
        var rows: [Row] = []
        for m in measured {
            let entries = Double(m.batches * m.batch)
            let rate = Summary(m.times.map { entries / ($0 / 1e9) })
            let batchMicros = Summary(m.times.map { $0 / Double(m.batches) / 1000 }).median
            let limitMicros = m.variant == .walFsync
                ? m.probe.fresh / 1000
                : Double(m.entryBytes * m.batch) / m.copies.median / 1000
            rows.append(columns.row(
                m.variant.rawValue, m.variant.policy, String(m.entryBytes), String(m.batch),
                String(m.batches * m.batch), String(m.times.count),
                Cell.fixed(rate.median, 0), Cell.fixed(rate.min, 0), Cell.fixed(rate.max, 0),
                Cell.fixed(rate.median * Double(m.entryBytes) / 1e6, 2),
                Cell.fixed(batchMicros, 3),
                m.variant == .walFsync ? "fdatasync" : "memcpy",
                Cell.fixed(limitMicros, 3),
                Cell.fixed(batchMicros / limitMicros, 2),
                Cell.fixed(syncMedian / 1000, 1), Cell.fixed(syncP99 / 1000, 1),
                Cell.fixed(m.copies.median, 2),
                Cell.fixed(rate.ciLow, 0), Cell.fixed(rate.ciHigh, 0),
                m.variant == .walFsync ? Cell.fixed(m.probe.written / 1000, 3) : "",
                Cell.fixed(m.copies.min, 2), Cell.fixed(m.copies.max, 2),
                m.variant == .walFsync ? Cell.fixed(m.probe.freshMedian / 1000, 3) : ""
            ))
        }
        return rows
    }
}
