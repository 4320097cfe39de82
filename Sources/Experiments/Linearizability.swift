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

    /// Writes per second to each key: with lnkd-disk writes lasting a few ms, from rarely to usually overlapping.
    static func writeRates(_ scale: Scale) -> [Int] {
        switch scale {
        case .quick: return [100, 400]
        case .standard: return [50, 200, 800]
        case .full: return [25, 50, 100, 200, 400, 800, 1_600]
        }
    }
    /// Histories per point: the highest rate gets enough (≥ 50 on the standard
    /// grid) that "none of n" bounds the violation rate usefully (≤ 5.8 % at 95 %).
    static func histories(_ scale: Scale, rate: Int) -> Int {
        let top = rate == writeRates(scale).last
        switch scale {
        case .quick: return top ? 4 : 2
        case .standard: return top ? 50 : 6
        case .full: return top ? 100 : 10
        }
    }
    static func operations(_ scale: Scale) -> Int { scale == .quick ? 150 : scale == .standard ? 300 : 1_000 }

    static let columns = Columns(
        Column("variant", "quorum variant"),
        Column("protocol", "dynamo or abd"),
        Column("n", "replicas"), Column("r", "read quorum"), Column("w", "write quorum"),
        Column("read_repair", "off, blocking or background"),
        Column("write_rate_per_key_per_s", "intended writes per second per key"),
        Column("write_concurrency", "measured mean number of writes in flight on a key while operations arrive (write time inside the arrival window / (keys × window))"),
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
    )

    static let experiment = Experiment(
        name: name,
        summary: "fraction of threaded-run histories (and keys) that are not linearizable, N=3, per quorum variant, against write concurrency",
        parameters: [
            Parameter("variant", "r1w1, r2w2 (no write-back), r2w2-read-repair (blocking), r2w2-background-repair, abd") { _ in variants.map(\.name) },
            Parameter("write_rate_per_key", "writes per second to each of the 4 keys (50 % writes)") { writeRates($0).map(String.init) },
            Parameter("histories", "independent runs per point, per write rate") { scale in writeRates(scale).map { String(histories(scale, rate: $0)) } },
            Parameter("operations", "operations per history") { [String(operations($0))] },
        ],
        columns: columns,
        summaryColumns: ["variant", "write_rate_per_key_per_s", "write_concurrency", "history_violation_fraction", "key_violation_fraction", "keys_unknown"],
        steps: { scale in variants.count * writeRates(scale).reduce(0) { $0 + histories(scale, rate: $1) } },
        run: run)

    static func run(_ context: RunContext) throws -> [Row] {
        let model = try LatencyModelCatalog.bundled.model(named: "lnkd-disk")
        var rows: [Row] = []
        for rate in writeRates(context.scale) {
            for v in variants {
                var histogramReads = LatencyHistogram(), histogramWrites = LatencyHistogram(), delivery = LatencyHistogram()
                var failing = 0, keysChecked = 0, keysFailing = 0, keysUnknown = 0
                var stale = 0, reads = 0
                var deltaMax: Double?, versionsBehindMax = 0
                var writeTime = 0.0, runTime = 0.0
                let n = histories(context.scale, rate: rate)
                for h in 0..<n {
                    var rng = context.rng("\(name)/\(v.name)/\(rate)/\(h)")
                    let quorum = QuorumConfiguration(n: 3, r: v.r, w: v.w, timeoutNanoseconds: 1_000_000_000, readRepair: v.readRepair)
                    let setup = ThreadedCluster.Setup(nodeCount: 5, quorum: quorum, network: NetworkModel(model: model, nodeCount: 5),
                                                      replication: v.replication, replicaThreads: 2, clientThreads: 2)
                    let stream = OperationStream(ratePerSecond: Double(rate * keys * 2), writeFraction: 0.5,
                                                 keys: KeyDistribution(.uniform, keyCount: keys), clients: 16, rng: rng.split())
                    let result = ThreadedCluster(setup).run(stream, operations: operations(context.scale), seed: rng.next())
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
                    // In flight while operations arrive: a variant whose reads drain
                    // slowly after the last arrival must not dilute its write count.
                    let window = arrivalWindow(result.records)
                    for r in result.records where r.isWrite && r.completed >= 0 {
                        writeTime += Double(max(0, min(r.completed, window.upperBound) - max(r.invoked, window.lowerBound)))
                    }
                    runTime += Double(window.upperBound - window.lowerBound)
                    context.progress.advance("\(v.name) \(rate) writes/s/key history \(h + 1)")
                }
                rows.append(columns.row(
                    v.name, v.replication.rawValue, "3", String(v.r), String(v.w), v.readRepair.rawValue, String(rate),
                    Cell.fixed(runTime > 0 ? writeTime / (Double(keys) * runTime) : 0, 3),
                    String(n), String(failing), Cell.fixed(Double(failing) / Double(n), 3),
                    String(keysChecked), String(keysFailing), Cell.fixed(keysChecked > 0 ? Double(keysFailing) / Double(keysChecked) : 0, 3),
                    String(keysUnknown), deltaMax.map { Cell.fixed($0, 3) } ?? "", String(versionsBehindMax),
                    Cell.fixed(reads > 0 ? Double(stale) / Double(reads) : 0, 5),
                    QuorumRuns.ms(histogramReads.value(atPercentile: 99)), QuorumRuns.ms(histogramWrites.value(atPercentile: 99)),
                    Cell.fixed(Double(delivery.value(atPercentile: 50)) / 1e3, 1), Cell.fixed(Double(delivery.value(atPercentile: 99)) / 1e3, 1),
                    Cell.fixed(clopperPearsonUpper(failures: failing, trials: n, confidence: 0.95), 3)
                ))
            }
        }
        return rows
    }

    /// From the first intended start to the last.
    static func arrivalWindow(_ records: [OperationRecord]) -> ClosedRange<Int64> {
        let starts = records.map(\.intended)
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
