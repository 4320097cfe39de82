import Foundation
import Lab
import Simulation
import Stats

/// `delta-vs-pbs`: the Δ-atomicity a checker measures on simulated
/// histories (Golab, Li & Shah, PODC 2011) against what `caplab pbs`
/// predicts for the same configuration (Bailis et al., PVLDB 2012): t99 and
/// t99.9 for one read, and — since a key's Δ is its worst read of the run —
/// the distribution of that worst read (``PBSDeltaPrediction``). Dynamo
/// with last-writer-wins, N = 3, no read repair, each latency preset PBS
/// fitted in one datacenter, the partial quorums and R = W = 2 as the zero
/// line (``StalenessVersusPBS``).
enum DeltaVsPBS {
    static let name = "delta-vs-pbs"
    static let n = 3
    static let quorums: [(r: Int, w: Int)] = [(1, 1), (1, 2), (2, 1), (2, 2)]
    /// Mean gap between writes to a key per preset: 7–10 times the
    /// preset's R = W = 1 t-visibility at p = 0.999 (1.98, 51.6 and 1452 ms,
    /// `caplab pbs`), so a write has usually finished becoming visible before
    /// the next one, as PBS's one-write model assumes.
    static let models: [(name: String, writeGapMs: Double)] = [("lnkd-ssd", 20), ("lnkd-disk", 500), ("ymmr", 10_000)]
    static let readsPerWrite = 20.0

    static func keys(_ scale: Scale) -> Int {
        switch scale {
        case .quick: return 10
        case .standard: return 100
        case .full: return 200
        }
    }
    static func writesPerKey(_ scale: Scale) -> Int {
        switch scale {
        case .quick: return 20
        case .standard: return 100
        case .full: return 400
        }
    }
    static func trials(_ scale: Scale) -> Int {
        switch scale {
        case .quick: return 20_000
        case .standard: return 1_000_000
        case .full: return 4_000_000
        }
    }

    static let columns = Columns(
        Column("config", "the point's label: model R=r W=w"),
        Column("model", "latency preset (Bailis et al. Table 3)"),
        Column("n", "replicas"),
        Column("r", "read quorum"),
        Column("w", "write quorum"),
        Column("keys", "keys in the history (Δ is measured per key)"),
        Column("writes_per_key", "completed writes per key, mean over keys"),
        Column("reads_per_key", "successful reads per key, mean over keys"),
        Column("write_gap_ms", "mean gap between writes to a key (Poisson), the workload's time scale"),
        Column("delta_p50_ms", "median over keys of the key's smallest Δ for which it is Δ-atomic (reads' starts moved Δ earlier; Golab, Li & Shah 2011), ms"),
        Column("delta_p99_ms", "p99 (nearest rank) over keys of Δ, ms"),
        Column("delta_max_ms", "largest Δ of any key, ms"),
        Column("pbs_delta_p50_ms", "PBS-predicted median over keys of Δ from stale reads: the x with e^{−Λ(x)} = 0.5, Λ(x) = reads_per_key · E[(e^{−x/G} − e^{−τ/G})⁺] over the Monte Carlo's τ, G = write_gap_ms"),
        Column("pbs_delta_p99_ms", "PBS-predicted p99 over keys of Δ: e^{−Λ(x)} = 0.99"),
        Column("pbs_delta_max_ms", "PBS-predicted median of the largest Δ over `keys` keys: e^{−keys·Λ(x)} = 0.5"),
        Column("pbs_p_equivalent", "P(consistent) at t = pbs_delta_p50_ms: the PBS probability whose t-visibility is the predicted median Δ"),
        Column("pbs_t99_ms", "PBS t-visibility for p = 0.99 (one read, started t after commit), ms"),
        Column("pbs_t999_ms", "PBS t-visibility for p = 0.999, ms"),
        Column("pbs_p_consistent_t0", "PBS P(consistent) for a read started when the write commits"),
        Column("read_staleness_p50_ms", "median over keys of the key's worst read staleness (read start − finish of the earliest certainly newer write completed before it), ms"),
        Column("read_staleness_max_ms", "worst read staleness of any read, ms"),
        Column("stale_read_fraction", "successful reads that missed a certainly newer write completed before they started"),
        Column("pbs_stale_read_fraction", "PBS-predicted stale fraction at this write gap: E[1 − e^{−τ⁺/G}]"),
        Column("keys_delta_above_read_staleness", "keys whose Δ exceeds their worst read's staleness: read–read inversions while a write is in flight, which PBS does not model"),
        Column("keys_without_delta", "keys no Δ makes atomic (a read of a value never written; 0 expected)"),
        Column("versions_behind_max", "most writes certainly newer than the value a read returned, over all reads (PBS's k-staleness, measured)"),
        Column("read_p99_ms", "p99 latency of successful reads"),
        Column("write_p99_ms", "p99 latency of successful writes"),
        Column("pbs_trials", "Monte Carlo trials"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "measured Δ-atomicity of simulated Dynamo histories against PBS-predicted t-visibility, N=3, per latency preset and (R, W)",
        parameters: [
            Parameter("model", "latency preset and mean write gap per key, ms") { _ in models.map { "\($0.name):\(Cell.fixed($0.writeGapMs, 0))" } },
            Parameter("rw", "(R, W), N = 3; R = W = 2 is the zero line") { _ in quorums.map { "\($0.r)-\($0.w)" } },
            Parameter("keys", "keys per history") { [String(keys($0))] },
            Parameter("writes_per_key", "writes per key the workload aims at") { [String(writesPerKey($0))] },
            Parameter("reads_per_write", "reads per write, Poisson, interleaved") { _ in [Cell.fixed(readsPerWrite, 0)] },
            Parameter("trials", "PBS Monte Carlo trials per configuration") { [String(trials($0))] },
        ],
        columns: columns,
        summaryColumns: ["config", "delta_p50_ms", "pbs_delta_p50_ms", "delta_max_ms", "pbs_delta_max_ms", "pbs_t999_ms",
                         "stale_read_fraction", "pbs_stale_read_fraction"],
        steps: { _ in models.count * quorums.count },
        run: run)

    static func configuration(_ model: LatencyModel, gap: Double, r: Int, w: Int, scale: Scale) -> StalenessVersusPBS.Configuration {
        .init(model: model, n: n, r: r, w: w, keys: keys(scale), writesPerKey: writesPerKey(scale), readsPerWrite: readsPerWrite,
              writeGapMs: gap, trials: trials(scale))
    }

    /// One configuration's row.
    static func row(_ label: String, _ c: StalenessVersusPBS.Configuration, _ o: StalenessVersusPBS.Outcome) -> Row {
        func ms(_ x: Double?) -> String { x.map { Cell.fixed($0, 3) } ?? "" }
        let p = o.prediction
        let predictedMedian = p.deltaQuantile(0.5)
        let keyCount = max(1, o.keys)
        return columns.row(
            label, c.model.name, String(c.n), String(c.r), String(c.w), String(o.keys),
            Cell.fixed(Double(o.writes) / Double(keyCount), 1), Cell.fixed(Double(o.reads) / Double(keyCount), 1), Cell.fixed(c.writeGapMs, 0),
            ms(StalenessVersusPBS.quantile(o.deltaMs, 0.5)), ms(StalenessVersusPBS.quantile(o.deltaMs, 0.99)), ms(o.deltaMs.last),
            ms(predictedMedian), ms(p.deltaQuantile(0.99)), ms(p.deltaQuantile(0.5, keys: keyCount)),
            Cell.fixed(p.pConsistent(at: predictedMedian), 6),
            ms(o.tVisibility99.value), ms(o.tVisibility999.value), Cell.fixed(o.pConsistentAtCommit, 4),
            ms(StalenessVersusPBS.quantile(o.readStalenessMs, 0.5)), ms(o.readStalenessMs.last),
            Cell.fixed(o.stale.staleReadFraction, 5), Cell.fixed(p.staleReadFraction, 5),
            String(o.keysDeltaAboveReadStaleness), String(o.keysWithoutDelta), String(o.versionsBehindMax),
            QuorumRuns.ms(o.simulation.reads.value(atPercentile: 99)), QuorumRuns.ms(o.simulation.writes.value(atPercentile: 99)),
            String(c.trials))
    }

    static func run(_ context: RunContext) throws -> [Row] {
        var rows: [Row] = []
        for (modelName, gap) in models {
            let model = try LatencyModelCatalog.bundled.model(named: modelName)
            for q in quorums {
                let label = "\(modelName) R=\(q.r) W=\(q.w)"
                rows += try context.point("\(modelName)/R=\(q.r)/W=\(q.w)") {
                    let c = configuration(model, gap: gap, r: q.r, w: q.w, scale: context.scale)
                    var seeds = context.rng("\(name)/\(modelName)/\(q.r)/\(q.w)/simulation")
                    var pbs = context.rng("\(name)/\(modelName)/\(q.r)/\(q.w)/pbs")
                    let outcome = try StalenessVersusPBS(c).run(simulationSeed: seeds.next(), workload: seeds.split(), pbs: &pbs)
                    context.progress.advance(label)
                    return [row(label, c, outcome)]
                }
            }
        }
        return rows
    }
}
