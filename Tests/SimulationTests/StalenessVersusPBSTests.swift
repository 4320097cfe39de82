import Consistency
import Foundation
import Testing
@testable import Quorum
@testable import Simulation
@testable import Stats

/// `delta-vs-pbs`'s core: the PBS prediction of a run's Δ, per-read staleness,
/// and the measured and predicted sides on simulated histories.
@Suite struct StalenessVersusPBSTests {
    /// Every trial's τ = T: Λ(x) = m·(e^{−x/G} − e^{−T/G}) for x < T, so the
    /// median of one key's Δ is x = −G·ln(e^{−T/G} + ln 2 / m), the median of
    /// the largest over k keys uses ln 2 / (k·m), and the stale fraction is 1 − e^{−T/G}.
    @Test func predictionHasTheClosedFormForAConstantThreshold() {
        let t = 10.0, g = 100.0, m = 50.0
        let p = PBSDeltaPrediction(thresholds: [Double](repeating: t, count: 1_000), writeGapMs: g, readsPerKey: m)
        #expect(abs(p.staleReadFraction - (1 - exp(-t / g))) < 1e-12)
        #expect(abs(p.deltaQuantile(0.5) - -g * log(exp(-t / g) + log(2) / m)) < 1e-9) // 8.479… ms
        #expect(abs(p.deltaQuantile(0.5, keys: 8) - -g * log(exp(-t / g) + log(2) / (8 * m))) < 1e-9)
        #expect(abs(p.deltaQuantile(0.99) - -g * log(exp(-t / g) - log(0.99) / m)) < 1e-9)
        #expect(p.pConsistent(at: 9.99) == 0 && p.pConsistent(at: 10) == 1)
        // So few reads that the chance of none stale beats p: the quantile is 0.
        let sparse = PBSDeltaPrediction(thresholds: [Double](repeating: t, count: 10), writeGapMs: g, readsPerKey: 1)
        #expect(sparse.deltaQuantile(0.5) == 0) // Λ(0) = 1 − e^{−0.1} = 0.095 < ln 2
        // Strict quorums: every τ ≤ 0, nothing stale.
        let strict = PBSDeltaPrediction(thresholds: [-3, -1, 0], writeGapMs: g, readsPerKey: 1_000)
        #expect(strict.staleReadFraction == 0 && strict.deltaQuantile(0.99) == 0)
    }

    static func record(_ request: UInt64, write: Bool, _ invoked: Int64, _ completed: Int64, read sequence: UInt64? = nil) -> OperationRecord {
        var r = OperationRecord(request: request, key: 7, isWrite: write, session: 0, intended: invoked)
        r.invoked = invoked
        r.completed = completed
        let s = write ? request : sequence
        r.version = s.map { .lww(Version(timestamp: invoked, coordinator: 0, sequence: $0)) }
        return r
    }

    /// Hand-built history: writes 1 [0, 10], 2 [20, 30], 3 [40, 60]. Staleness
    /// is the read's start minus the earliest finish of a write invoked after
    /// the returned write finished and completed before the read started.
    @Test func readStalenessAndDeltaOnAHandBuiltHistory() throws {
        let records = [
            Self.record(1, write: true, 0, 10),
            Self.record(2, write: true, 20, 30),
            Self.record(3, write: true, 40, 60),
            Self.record(10, write: false, 12, 14),              // empty after write 1 finished: 12 − 10 = 2
            Self.record(11, write: false, 25, 26, read: 1),     // write 2 in flight: not stale
            Self.record(12, write: false, 45, 47, read: 1),     // 45 − 30 = 15
            Self.record(13, write: false, 50, 52, read: 2),     // write 3 in flight: not stale
            Self.record(14, write: false, 65, 66, read: 1),     // 65 − 30 = 35 (write 3 also missed, but later)
            Self.record(15, write: false, 70, 71, read: 3),     // fresh
        ]
        let stale = ReadStaleness(records)
        #expect(stale.reads == 6 && stale.staleReads == 3)
        #expect(stale.staleness == [2, 15, 35])
        #expect(stale.keys.map(\.maxStalenessNanoseconds) == [35])
        // No inversions here, so the key's Δ is exactly its worst read's staleness.
        let report = try StalenessReport(records.history, twoAtomicStepBudget: 0)
        #expect(report.deltaInNanoseconds && report.deltas == [35])
    }

    /// Zero-variance latencies (every leg 1 ms): every replica holds a write
    /// from 1 ms after it starts, so PBS's τ = W − R − (W + A) = −2 ms in every
    /// trial (P(consistent at 0) = 1, t99 = t99.9 = 0), and in the simulator
    /// every replica applies the writes in the order they were invoked and a
    /// read reaches all replicas at one instant, so each read returns the same
    /// latest write from any replica: even R = W = 1 is linearizable, Δ = 0
    /// on every key.
    @Test func zeroVarianceLatencyGivesZeroOnBothSides() throws {
        let constant = LatencyModel.symmetric("constant-1ms", .init(.constant(1)))
        let c = StalenessVersusPBS.Configuration(model: constant, n: 3, r: 1, w: 1, keys: 4, writesPerKey: 30, readsPerWrite: 10,
                                                 writeGapMs: 3, trials: 2_000)
        var pbs = Xoshiro256StarStar(seed: 2)
        let o = try StalenessVersusPBS(c).run(simulationSeed: 1, workload: Xoshiro256StarStar(seed: 3), pbs: &pbs)
        #expect(o.prediction.thresholds.allSatisfy { $0 == -2 })
        #expect(o.pConsistentAtCommit == 1 && o.tVisibility99.value == 0 && o.tVisibility999.value == 0)
        #expect(o.prediction.deltaQuantile(0.99, keys: 4) == 0)
        #expect(o.keys == 4 && o.reads > 1_000 && o.writes > 100)
        #expect(o.deltaMs == [0, 0, 0, 0] && o.keysWithoutDelta == 0)
        #expect(o.stale.staleReads == 0 && o.readStalenessMs == [0, 0, 0, 0])
    }

    /// lnkd-disk, N = 3, 20 reads per write, a write per key every 500 ms on average.
    static func lnkdDisk(r: Int, w: Int, keys: Int, writesPerKey: Int, trials: Int, seed: UInt64) throws -> StalenessVersusPBS.Outcome {
        let disk = try LatencyModelCatalog.bundled.model(named: "lnkd-disk")
        let c = StalenessVersusPBS.Configuration(model: disk, n: 3, r: r, w: w, keys: keys, writesPerKey: writesPerKey, readsPerWrite: 20,
                                                 writeGapMs: 500, trials: trials)
        var pbs = Xoshiro256StarStar(seed: seed + 1)
        return try StalenessVersusPBS(c).run(simulationSeed: seed, workload: Xoshiro256StarStar(seed: seed + 2), pbs: &pbs)
    }

    /// A real partial quorum (lnkd-disk, R = W = 1): stale reads happen, each
    /// key's Δ is at least its worst read's staleness (the lower bound), the
    /// certainly-newer count never exceeds the simulator judge's LWW count,
    /// and the measured stale fraction agrees with PBS's E[1 − e^{−τ⁺/G}].
    @Test func partialQuorumMeasuredAgainstPredicted() throws {
        let o = try Self.lnkdDisk(r: 1, w: 1, keys: 10, writesPerKey: 60, trials: 100_000, seed: 4)
        #expect(o.keysWithoutDelta == 0 && o.keys == 10)
        #expect(o.prediction.readsPerKey == Double(o.reads) / 10 && o.prediction.writeGapMs == 500)
        let report = try StalenessReport(o.simulation.records.history, twoAtomicStepBudget: 0)
        for k in o.stale.keys {
            guard case .delta(let d) = report.keys.first(where: { $0.key == .integer(Int64(bitPattern: k.key)) })?.delta else {
                Issue.record("key \(k.key) has no Δ"); continue
            }
            #expect(d >= k.maxStalenessNanoseconds, "key \(k.key): Δ \(d) below its worst read's staleness \(k.maxStalenessNanoseconds)")
        }
        #expect(o.stale.staleReads > 20 && o.stale.staleReads <= o.simulation.staleReads)
        let predicted = o.prediction.staleReadFraction
        let sigma = (predicted * (1 - predicted) / Double(o.reads)).squareRoot()
        #expect(abs(o.stale.staleReadFraction - predicted) <= 5 * sigma, "measured \(o.stale.staleReadFraction) vs PBS \(predicted)")
    }

    /// R + W > N: no read is ever stale and PBS is consistent at commit; Δ
    /// may still be positive from inversions while a write is in flight, but
    /// never more than the longest write of the run.
    @Test func strictQuorumHasNoStaleReads() throws {
        let o = try Self.lnkdDisk(r: 2, w: 2, keys: 6, writesPerKey: 40, trials: 20_000, seed: 7)
        #expect(o.stale.staleReads == 0 && o.simulation.staleReads == 0)
        #expect(o.pConsistentAtCommit == 1 && o.tVisibility999.value == 0 && o.prediction.deltaQuantile(0.5, keys: 6) == 0)
        let longestWrite = o.simulation.records.filter(\.isWrite).map { Double($0.completed - $0.invoked) / 1e6 }.max()!
        #expect(o.deltaMs.count == 6 && o.deltaMs.last! <= longestWrite)
    }
}
