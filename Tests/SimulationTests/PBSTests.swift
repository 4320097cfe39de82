import Foundation
import Testing
@testable import Simulation
@testable import Stats

@Suite struct PBSTests {
    static func run(_ model: LatencyModel, n: Int, r: Int, w: Int, trials: Int = 40_000, seed: UInt64 = 1) -> PBSMonteCarlo.Samples {
        var rng = Xoshiro256StarStar(seed: seed)
        return PBSMonteCarlo(model: model, n: n, r: r, w: w).run(trials: trials, rng: &rng)
    }

    /// C(N−W,R)/C(N,R), Bailis et al. §3.2: N=3,R=W=1 → 2/3; N=5,R=2,W=2 → C(3,2)/C(5,2) = 3/10.
    @Test func closedFormStaleness() {
        #expect(abs(PBSReport.staleProbability(n: 3, r: 1, w: 1) - 2.0 / 3) < 1e-15)
        #expect(abs(PBSReport.staleProbability(n: 5, r: 2, w: 2) - 0.3) < 1e-15)
        #expect(PBSReport.staleProbability(n: 3, r: 2, w: 2) == 0)
        #expect(abs(PBSReport.kStalenessConsistent(n: 3, r: 1, w: 1, k: 2) - (1 - 4.0 / 9)) < 1e-15)
    }

    /// With instantaneous acks and read requests and replica-independent read
    /// responses, a read at t = 0 hits a uniformly random R-set while exactly
    /// the W fastest replicas hold the write, so P(stale) is the closed form.
    @Test(arguments: [(3, 1, 1), (3, 1, 2), (5, 2, 2), (5, 1, 3), (7, 2, 3)])
    func monteCarloAtCommitMatchesTheClosedForm(n: Int, r: Int, w: Int) {
        let model = LatencyModel(name: "closed-form", write: .init(.exponential(rate: 1)), writeAck: .init(.constant(0)),
                                 read: .init(.constant(0)), readResponse: .init(.exponential(rate: 1)))
        let trials = 40_000
        let samples = Self.run(model, n: n, r: r, w: w, trials: trials)
        let stale = 1 - PBSReport.fractionAtOrBelow(samples.threshold, 0)
        let expected = PBSReport.staleProbability(n: n, r: r, w: w)
        let sigma = (expected * (1 - expected) / Double(trials)).squareRoot()
        #expect(abs(stale - expected) <= 5 * sigma + 1e-12, "N=\(n) R=\(r) W=\(w): \(stale) vs \(expected)")
    }

    /// Strict quorums (R + W > N) never read stale, for any latency model, at any t ≥ 0.
    @Test(arguments: ["lnkd-ssd", "lnkd-disk", "ymmr", "wan"])
    func strictQuorumsAreAlwaysConsistent(name: String) throws {
        let model = try LatencyModelCatalog.bundled.model(named: name)
        for (n, r, w) in [(3, 2, 2), (3, 1, 3), (3, 3, 1), (5, 3, 3)] {
            let samples = Self.run(model, n: n, r: r, w: w, trials: 4_000)
            #expect(samples.threshold.last! <= 0, "\(name) N=\(n) R=\(r) W=\(w)")
        }
    }

    /// P(consistent) grows with t and reaches 1; latencies are order statistics of the legs.
    @Test func consistencyGrowsWithTimeAndLatenciesMatchTheLegs() throws {
        let ssd = try LatencyModelCatalog.bundled.model(named: "lnkd-ssd")
        let samples = Self.run(ssd, n: 1, r: 1, w: 1)
        // N=1: write latency is W+A, mean 0.58 ms (LinkedIn's measured round trip, in the data file).
        let mean = samples.writeLatency.reduce(0, +) / Double(samples.trials)
        #expect(abs(mean - 0.582) < 0.005)
        let partial = Self.run(ssd, n: 3, r: 1, w: 1)
        let curve = [0.0, 0.1, 0.5, 1, 5, 100].map { PBSReport.fractionAtOrBelow(partial.threshold, $0) }
        #expect(curve == curve.sorted())
        #expect(curve.first! > 1 - PBSReport.staleProbability(n: 3, r: 1, w: 1)) // better than the closed form: writes keep arriving
        #expect(curve.last! == 1)
        // More replicas waited for: slower operations.
        let majority = Self.run(ssd, n: 3, r: 2, w: 2)
        #expect(PBSReport.quantile(majority.writeLatency, 0.99) > PBSReport.quantile(partial.writeLatency, 0.99))
        #expect(PBSReport.quantile(majority.readLatency, 0.5) > PBSReport.quantile(partial.readLatency, 0.5))
    }

    /// WAN: a local replica answers W=1 and R=1 fast, but W=2 pays the 75 ms each way.
    @Test func wanAddsTheRemoteDelayBeyondOneReplica() throws {
        let wan = try LatencyModelCatalog.bundled.model(named: "wan")
        let one = Self.run(wan, n: 3, r: 1, w: 1, trials: 10_000)
        let two = Self.run(wan, n: 3, r: 1, w: 2, trials: 10_000)
        #expect(PBSReport.quantile(one.writeLatency, 0.5) < 75)
        #expect(PBSReport.quantile(two.writeLatency, 0.01) >= 150)
    }

    @Test func tVisibilityIntervalBracketsTheEstimate() {
        let thresholds = (0..<10_000).map { Double($0) / 100 }
        let t = PBSReport.tVisibility(thresholds, probability: 0.9)
        #expect(t.value == thresholds[8_999])
        #expect(t.ciLow < t.value && t.value < t.ciHigh)
        #expect(t.ciHigh - t.ciLow < 1.3) // ±1.96·√(10000·0.09) = ±59 ranks = ±0.59 ms
        let negative = PBSReport.tVisibility([-3, -2, -1], probability: 0.5)
        #expect(negative.value == 0 && negative.ciLow == 0)
    }

    @Test func sameSeedSameSamples() throws {
        let ymmr = try LatencyModelCatalog.bundled.model(named: "ymmr")
        let a = Self.run(ymmr, n: 3, r: 1, w: 1, trials: 1_000, seed: 5)
        let b = Self.run(ymmr, n: 3, r: 1, w: 1, trials: 1_000, seed: 5)
        #expect(a.threshold == b.threshold && a.readLatency == b.readLatency && a.writeLatency == b.writeLatency)
    }
}
