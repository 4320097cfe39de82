import Consistency
import Foundation
import Quorum
import Stats
import Workload

/// Measured Δ against PBS's prediction for one Dynamo configuration
/// (`delta-vs-pbs`): the simulator runs a workload of fresh writes with
/// reads interleaved on a few keys, the run's history (virtual nanosecond
/// times) is measured with ``StalenessReport`` (Δ-atomicity per key, Golab,
/// Li & Shah, PODC 2011) and ``ReadStaleness`` (per read), and the PBS WARS
/// Monte Carlo (Bailis et al., PVLDB 2012) of the same (model, N, R, W)
/// gives t-visibility and, through ``PBSDeltaPrediction``, the Δ it
/// predicts for that workload. Both sides assume what PBS assumes: no read
/// repair, no failures, every leg of every message drawn from the model
/// (the simulator's coordinator sends to itself through the network too,
/// so it is one more replica with drawn delays, as PBS's outside coordinator).
///
/// The workload: `keys` keys, each written on average every `writeGapMs`
/// (Poisson) and read `readsPerWrite` times as often; every write writes
/// a fresh value (its request id), so each read maps to one write.
///
/// - Complexity: the simulator's O(E log E) for E ≈ 2N + 2 events per
///   operation, O(n log n · log T) for Δ over n operations, and the Monte
///   Carlo's O(trials · N²) plus a sort.
public struct StalenessVersusPBS: Sendable {
    public struct Configuration: Sendable {
        public var model: LatencyModel
        public var n: Int
        public var r: Int
        public var w: Int
        public var keys: Int
        /// Writes per key the workload aims at (the run draws Poisson counts around it).
        public var writesPerKey: Int
        public var readsPerWrite: Double
        public var writeGapMs: Double
        public var trials: Int

        public init(model: LatencyModel, n: Int, r: Int, w: Int, keys: Int, writesPerKey: Int, readsPerWrite: Double,
                    writeGapMs: Double, trials: Int) {
            self.model = model
            self.n = n
            self.r = r
            self.w = w
            self.keys = keys
            self.writesPerKey = writesPerKey
            self.readsPerWrite = readsPerWrite
            self.writeGapMs = writeGapMs
            self.trials = trials
        }

        /// Operations the run issues.
        public var operations: Int { Int((Double(keys * writesPerKey) * (1 + readsPerWrite)).rounded()) }
    }

    public struct Outcome: Sendable {
        public let simulation: SimulationResult
        /// Completed writes and successful reads in the history.
        public let writes: Int
        public let reads: Int
        /// Keys the history holds.
        public let keys: Int
        /// Finite Δ per key, ms, ascending.
        public let deltaMs: [Double]
        /// Keys with no finite Δ (a read of a value never written; not expected here).
        public let keysWithoutDelta: Int
        /// Keys whose Δ exceeds their worst read's staleness: read–read inversions PBS does not model.
        public let keysDeltaAboveReadStaleness: Int
        /// Per-key worst read staleness, ms, ascending (one entry per key, 0 when none was stale).
        public let readStalenessMs: [Double]
        public let stale: ReadStaleness
        public let versionsBehindMax: Int
        public let prediction: PBSDeltaPrediction
        public let tVisibility99: PBSReport.TVisibility
        public let tVisibility999: PBSReport.TVisibility
        /// P(consistent) for a read started when the write commits.
        public let pConsistentAtCommit: Double
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration) {
        precondition(configuration.keys >= 1 && configuration.writesPerKey >= 1 && configuration.readsPerWrite >= 0
                     && configuration.writeGapMs > 0 && configuration.trials >= 1, "a comparison needs keys, writes, a gap and trials")
        self.configuration = configuration
    }

    /// Nearest rank: the smallest value with at least a fraction p of the values at or below it.
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        return sorted[max(0, min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
    }

    /// Runs the simulator from `simulationSeed` and the Monte Carlo from `pbs`.
    public func run(simulationSeed: UInt64, workload: Xoshiro256StarStar, pbs: inout Xoshiro256StarStar) throws -> Outcome {
        let c = configuration
        // A timeout far above any draw of the presets' tails: PBS assumes no failures.
        let quorum = QuorumConfiguration(n: c.n, r: c.r, w: c.w, timeoutNanoseconds: 60_000_000_000, readRepair: .off)
        var setup = QuorumSimulation.Setup(nodeCount: c.n, quorum: quorum, network: NetworkModel(model: c.model, nodeCount: c.n))
        setup.recordsHistory = true
        let perKeyPerSecond = (1 + c.readsPerWrite) / (c.writeGapMs / 1000)
        let stream = OperationStream(ratePerSecond: perKeyPerSecond * Double(c.keys), writeFraction: 1 / (1 + c.readsPerWrite),
                                     keys: KeyDistribution(.uniform, keyCount: c.keys), clients: 16, rng: workload)
        let result = QuorumSimulation(setup).run(.workload(stream, operations: c.operations), seed: simulationSeed)

        let history = result.records.history
        let report = try StalenessReport(history, twoAtomicStepBudget: 0)
        let stale = ReadStaleness(result.records)
        let unit = report.deltaInNanoseconds ? 1e6 : .nan
        var deltaOfKey: [HistoryKey: Int64] = [:]
        for k in report.keys { if case .delta(let d) = k.delta { deltaOfKey[k.key] = d } }
        var above = 0
        for k in stale.keys where (deltaOfKey[.integer(Int64(bitPattern: k.key))] ?? 0) > k.maxStalenessNanoseconds { above += 1 }

        let samples = PBSMonteCarlo(model: c.model, n: c.n, r: c.r, w: c.w).run(trials: c.trials, rng: &pbs)
        let writes = result.records.filter { $0.isWrite && !$0.timedOut && $0.completed >= 0 }.count
        let reads = stale.reads
        let prediction = PBSDeltaPrediction(thresholds: samples.threshold, writeGapMs: c.writeGapMs,
                                            readsPerKey: Double(reads) / Double(max(1, stale.keys.count)))
        return Outcome(
            simulation: result, writes: writes, reads: reads, keys: report.keys.count,
            deltaMs: report.deltas.map { Double($0) / unit }, keysWithoutDelta: report.keys.count - report.deltas.count,
            keysDeltaAboveReadStaleness: above,
            readStalenessMs: stale.keys.map { Double($0.maxStalenessNanoseconds) / 1e6 }.sorted(),
            stale: stale, versionsBehindMax: report.maxVersionsBehind, prediction: prediction,
            tVisibility99: PBSReport.tVisibility(samples.threshold, probability: 0.99),
            tVisibility999: PBSReport.tVisibility(samples.threshold, probability: 0.999),
            pConsistentAtCommit: PBSReport.fractionAtOrBelow(samples.threshold, 0))
    }
}
