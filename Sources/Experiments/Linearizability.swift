import Consistency
import Foundation
import Lab
import Quorum
import Simulation
import Stats
import Threaded
import Workload

/// `linearizability`: how often real-time runs of N = 3 quorums produce
/// histories that are not linearizable, against write concurrency, for
/// R = W = 1, R = W = 2 without write-back, R = W = 2 with blocking read
/// repair (the read writes the newest version back to the stale replicas
/// of its read set before it answers) or background read repair (after it
/// answers), and ABD (Attiya, Bar-Noy & Dolev, JACM 1995). R + W > N alone
/// is not linearizable under concurrent writes (a read can see a write
/// that a later read misses); ABD's write-back is what makes it so.
///
/// Each point runs several short histories on the threaded runtime
/// (lnkd-disk delays, so a write stays in flight for milliseconds) over a
/// handful of hot keys, and checks each with ``LinearizabilityChecker``.
enum Linearizability {
    static let name = "linearizability"
    static let keys = 4

    struct Variant {
        let name: String
        let replication: ReplicationProtocol
        let r: Int
        let w: Int
        let readRepair: QuorumConfiguration.ReadRepair
    }

    static let variants = [
        Variant(name: "r1w1", replication: .dynamo, r: 1, w: 1, readRepair: .off),
        Variant(name: "r2w2", replication: .dynamo, r: 2, w: 2, readRepair: .off),
        Variant(name: "r2w2-read-repair", replication: .dynamo, r: 2, w: 2, readRepair: .blocking),
        Variant(name: "r2w2-background-repair", replication: .dynamo, r: 2, w: 2, readRepair: .background),
        Variant(name: "abd", replication: .abd, r: 2, w: 2, readRepair: .off),
    ]

    /// Target writes in flight per key — the grid's axis. Each variant's write
    /// rate is calibrated to it (``calibratedRate``): ABD's two-phase writes
    /// last longer than Dynamo's, so at one rate ABD has more writes in flight
    /// (Little's law) and the comparison would not be like for like.
    static func targetConcurrencies(_ scale: Scale) -> [Double] {
        switch scale {
        case .quick: return [1, 3]
        case .standard: return [0.5, 1.5, 4]
        case .full: return [0.25, 0.5, 1, 2, 4, 8]
        }
    }
    /// Histories per point: the highest concurrency gets enough (≥ 50 on the
    /// standard grid) that "none of n" bounds the violation rate usefully
    /// (≤ 5.8 % at 95 %).
    static func histories(_ scale: Scale, target: Double) -> Int {
        let top = target == targetConcurrencies(scale).last
        switch scale {
        case .quick: return top ? 4 : 2
        case .standard: return top ? 50 : 6
        case .full: return top ? 100 : 10
        }
    }
    /// Calibration: rounds of `pilotHistories` pilot histories (full length,
    /// not counted) before the measured ones.
    static let calibrationRounds = 4
    static let pilotHistories = 2
    static func operations(_ scale: Scale) -> Int { scale == .quick ? 150 : scale == .standard ? 300 : 1_000 }

    static let columns = Columns(
        Column("variant", "quorum variant"),
        Column("protocol", "dynamo or abd"),
        Column("n", "replicas"), Column("r", "read quorum"), Column("w", "write quorum"),
        Column("read_repair", "off, blocking or background"),
        Column("write_rate_per_key_per_s", "writes per second per key, calibrated per variant to the target concurrency"),
        Column("write_concurrency", "measured mean number of writes in flight on a key while operations are invoked (write time inside the first-to-last invocation window / (keys × window)), over the point's histories"),
        Column("histories", "histories checked"),
        Column("histories_not_linearizable", "histories the checker found not linearizable"),
        Column("history_violation_fraction", "histories_not_linearizable / histories"),
        Column("keys_checked", "key histories checked (keys × histories)"),
        Column("keys_not_linearizable", "key histories found not linearizable"),
        Column("key_violation_fraction", "keys_not_linearizable / keys_checked"),
        Column("keys_unknown", "key histories whose search ran out of budget (no verdict)"),
        Column("delta_max_ms", "largest over key histories of the smallest Δ for which the key is Δ-atomic (reads' starts moved Δ earlier; Golab, Li & Shah 2011): 0 when all are linearizable, empty when no key could be measured"),
        Column("versions_behind_max", "most writes certainly newer than the value a read returned, over all reads (≥ 2: not 2-atomic)"),
        Column("stale_fraction", "successful reads that missed the newest write completed before they were sent"),
        Column("read_p99_ms", "p99 read latency from intended start, all histories merged"),
        Column("write_p99_ms", "p99 write latency from intended start, all histories merged"),
        Column("delivery_error_p50_us", "median of actual − intended message delivery time"),
        Column("delivery_error_p99_us", "p99 of actual − intended message delivery time"),
        Column("history_violation_upper_95", "one-sided 95 % upper confidence bound on the per-history violation rate (Clopper–Pearson)"),
        Column("target_write_concurrency", "writes in flight per key the rate was calibrated to"),
        Column("write_concurrency_min", "lowest write_concurrency of one history of the point"),
        Column("write_concurrency_max", "highest write_concurrency of one history of the point"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "fraction of threaded-run histories (and keys) that are not linearizable, N=3, per quorum variant, against write concurrency",
        parameters: [
            Parameter("variant", "r1w1, r2w2 (no write-back), r2w2-read-repair (blocking), r2w2-background-repair, abd") { _ in variants.map(\.name) },
            Parameter("target_write_concurrency", "writes in flight per key; each variant's write rate (50 % writes, 4 keys) is calibrated to it") { targetConcurrencies($0).map { Cell.fixed($0, 2) } },
            Parameter("histories", "independent runs per point, per target") { scale in targetConcurrencies(scale).map { String(histories(scale, target: $0)) } },
            Parameter("calibration", "pilot rounds × histories per round (not counted) per point") { _ in ["\(calibrationRounds)x\(pilotHistories)"] },
            Parameter("operations", "operations per history") { [String(operations($0))] },
        ],
        columns: columns,
        summaryColumns: ["variant", "target_write_concurrency", "write_rate_per_key_per_s", "write_concurrency", "history_violation_fraction", "key_violation_fraction", "keys_unknown"],
        steps: { scale in variants.count * targetConcurrencies(scale).reduce(0) { $0 + calibrationRounds + histories(scale, target: $1) } },
        run: run)

    /// One history at `rate` writes per second per key.
    static func runHistory(_ v: Variant, rate: Double, operations: Int, model: LatencyModel, rng: inout Xoshiro256StarStar) -> ThreadedResult {
        let quorum = QuorumConfiguration(n: 3, r: v.r, w: v.w, timeoutNanoseconds: 1_000_000_000, readRepair: v.readRepair)
        let setup = ThreadedCluster.Setup(nodeCount: 5, quorum: quorum, network: NetworkModel(model: model, nodeCount: 5),
                                          replication: v.replication, replicaThreads: 2, clientThreads: 2)
        let stream = OperationStream(ratePerSecond: rate * Double(keys * 2), writeFraction: 0.5,
                                     keys: KeyDistribution(.uniform, keyCount: keys), clients: 16, rng: rng.split())
        return ThreadedCluster(setup).run(stream, operations: operations, seed: rng.next())
    }

    /// Write time inside the arrival window and the window's length, ns: in
    /// flight while operations are being invoked, so a variant whose reads drain slowly
    /// after the last arrival does not dilute its write count.
    static func writeOccupancy(_ records: [OperationRecord]) -> (writeTime: Double, window: Double) {
        let window = arrivalWindow(records)
        var writeTime = 0.0
        for r in records where r.isWrite && r.completed >= 0 {
            writeTime += Double(max(0, min(r.completed, window.upperBound) - max(r.invoked, window.lowerBound)))
        }
        return (writeTime, Double(window.upperBound - window.lowerBound))
    }

    /// The write rate per key at which `v` has `target` writes in flight per
    /// key, as ``writeOccupancy`` measures them. Little's law (Little 1961):
    /// writes in flight = write rate × mean write time, so the first round of
    /// pilot histories sets the rate to target / the mean write time it
    /// measured; later rounds scale the rate by target / the measured
    /// concurrency itself (which also absorbs clients running behind their
    /// intended starts and the write time growing with load). Each step is at
    /// most 4× either way. Starts from the lnkd-disk write quorum's typical few
    /// milliseconds.
    static func calibratedRate(_ v: Variant, target: Double, scale: Scale, model: LatencyModel,
                               context: RunContext) -> Double {
        var rate = target / 0.005
        for round in 0..<calibrationRounds {
            var writeNanoseconds = 0.0, writes = 0, writeTime = 0.0, window = 0.0
            for h in 0..<pilotHistories {
                var rng = context.rng("\(name)/calibrate/\(v.name)/\(target)/\(round)/\(h)")
                let result = runHistory(v, rate: rate, operations: operations(scale), model: model, rng: &rng)
                for r in result.records where r.isWrite && r.completed >= 0 && r.invoked >= 0 {
                    writeNanoseconds += Double(r.completed - r.invoked)
                    writes += 1
                }
                let o = writeOccupancy(result.records)
                writeTime += o.writeTime
                window += o.window
            }
            let measured = window > 0 ? writeTime / (Double(keys) * window) : 0
            let meanWriteSeconds = writes > 0 ? writeNanoseconds / Double(writes) / 1e9 : 0
            let next: Double
            if round == 0 && meanWriteSeconds > 0 { next = target / meanWriteSeconds }
            else if measured > 0 { next = rate * target / measured }
            else { next = rate / 4 }
            rate = min(rate * 4, max(rate / 4, next))
            context.progress.advance("\(v.name) target \(target): calibration \(round + 1), \(Cell.fixed(measured, 2)) in flight")
        }
        return rate
    }

    static func run(_ context: RunContext) throws -> [Row] {
        let model = try LatencyModelCatalog.bundled.model(named: "lnkd-disk")
        var rows: [Row] = []
        for target in targetConcurrencies(context.scale) {
            for v in variants {
                let rate = calibratedRate(v, target: target, scale: context.scale, model: model, context: context)
                var histogramReads = LatencyHistogram(), histogramWrites = LatencyHistogram(), delivery = LatencyHistogram()
                var failing = 0, keysChecked = 0, keysFailing = 0, keysUnknown = 0
                var stale = 0, reads = 0
                var deltaMax: Double?, versionsBehindMax = 0
                var writeTime = 0.0, runTime = 0.0
                var perHistory: [Double] = []
                let n = histories(context.scale, target: target)
                for h in 0..<n {
                    var rng = context.rng("\(name)/\(v.name)/\(target)/\(h)")
                    let result = runHistory(v, rate: rate, operations: operations(context.scale), model: model, rng: &rng)
                    let report = try LinearizabilityChecker().check(result.history)
                    if report.verdict == .notLinearizable { failing += 1 }
                    keysChecked += report.keys
                    keysFailing += report.violations.count
                    keysUnknown += report.unknownKeys.count
                    let staleness = try StalenessReport(result.history)
                    if let d = staleness.maxDeltaMilliseconds { deltaMax = max(deltaMax ?? 0, d) }
                    versionsBehindMax = max(versionsBehindMax, staleness.maxVersionsBehind)
                    stale += result.simulation.staleReads
                    reads += result.simulation.successfulReads
                    histogramReads.merge(result.simulation.reads)
                    histogramWrites.merge(result.simulation.writes)
                    delivery.merge(result.deliveryError)
                    let o = writeOccupancy(result.records)
                    writeTime += o.writeTime
                    runTime += o.window
                    perHistory.append(o.window > 0 ? o.writeTime / (Double(keys) * o.window) : 0)
                    context.progress.advance("\(v.name) target \(target) (\(Cell.fixed(rate, 0)) writes/s/key) history \(h + 1)")
                }
                rows.append(columns.row(
                    v.name, v.replication.rawValue, "3", String(v.r), String(v.w), v.readRepair.rawValue, Cell.fixed(rate, 1),
                    Cell.fixed(runTime > 0 ? writeTime / (Double(keys) * runTime) : 0, 3),
                    String(n), String(failing), Cell.fixed(Double(failing) / Double(n), 3),
                    String(keysChecked), String(keysFailing), Cell.fixed(keysChecked > 0 ? Double(keysFailing) / Double(keysChecked) : 0, 3),
                    String(keysUnknown), deltaMax.map { Cell.fixed($0, 3) } ?? "", String(versionsBehindMax),
                    Cell.fixed(reads > 0 ? Double(stale) / Double(reads) : 0, 5),
                    QuorumRuns.ms(histogramReads.value(atPercentile: 99)), QuorumRuns.ms(histogramWrites.value(atPercentile: 99)),
                    Cell.fixed(Double(delivery.value(atPercentile: 50)) / 1e3, 1), Cell.fixed(Double(delivery.value(atPercentile: 99)) / 1e3, 1),
                    Cell.fixed(clopperPearsonUpper(failures: failing, trials: n, confidence: 0.95), 3),
                    Cell.fixed(target, 2), Cell.fixed(perHistory.min() ?? 0, 3), Cell.fixed(perHistory.max() ?? 0, 3)
                ))
            }
        }
        return rows
    }

    /// From the first invocation to the last (the actual starts: a client
    /// running late shifts the window with it rather than leaving its writes
    /// outside the intended one).
    static func arrivalWindow(_ records: [OperationRecord]) -> ClosedRange<Int64> {
        let starts = records.lazy.map(\.invoked).filter { $0 >= 0 }
        return (starts.min() ?? 0)...(starts.max() ?? 0)
    }

    /// The p with P(X ≤ failures | trials, p) = 1 − confidence: the one-sided
    /// exact upper bound (Clopper & Pearson 1934), by bisection. For 0
    /// failures it is 1 − (1 − confidence)^(1/trials), the "rule of three".
    static func clopperPearsonUpper(failures: Int, trials: Int, confidence: Double) -> Double {
        if failures >= trials { return 1 }
        func cdf(_ p: Double) -> Double {
            // Sum of binomial terms in log space.
            var total = 0.0
            for k in 0...failures {
                let logTerm = lgamma(Double(trials + 1)) - lgamma(Double(k + 1)) - lgamma(Double(trials - k + 1))
                    + Double(k) * log(p) + Double(trials - k) * log1p(-p)
                total += exp(logTerm)
            }
            return total
        }
        var low = Double(failures) / Double(trials), high = 1.0
        for _ in 0..<60 {
            let mid = (low + high) / 2
            if cdf(mid) > 1 - confidence { low = mid } else { high = mid }
        }
        return high
    }
}
