import Quorum
import Stats
import Testing
@testable import Simulation

/// The topology-aware PBS Monte Carlo: the single-site model it generalises,
/// closed forms with constant delays, and the simulator under the same message delay model.
@Suite struct TopologyPBSTests {
    static func constant(_ ms: Double) -> LatencyDistribution { LatencyDistribution(.constant(ms)) }

    /// With one datacenter, RTT 0 and count levels the Monte Carlo draws the same numbers
    /// as `caplab pbs --model` and gives the same samples, bit for bit, for the single-site presets.
    @Test(arguments: ["lnkd-ssd", "lnkd-disk", "ymmr"], [(3, 1, 1), (3, 2, 2), (5, 2, 3)])
    func oneDatacenterReproducesThePBSPresets(preset: String, quorum: (Int, Int, Int)) throws {
        let model = try LatencyModelCatalog.bundled.model(named: preset)
        let (n, r, w) = quorum
        var a = Xoshiro256StarStar(seed: 7)
        var b = Xoshiro256StarStar(seed: 7)
        let old = PBSMonteCarlo(model: model, n: n, r: r, w: w).run(trials: 20_000, rng: &a)
        let topology = Topology.singleDatacenter(model, replicas: n)
        let new = try #require(TopologyPBS(topology: topology, read: .count(r), write: .count(w))).run(trials: 20_000, rng: &b)
        #expect(old.threshold == new.threshold && old.readLatency == new.readLatency && old.writeLatency == new.writeLatency)
    }

    /// Constant delays: east replicas have a slow write leg (50 ms), west ones 1 ms; every other
    /// leg 1 ms; RTT 1 ms in a site, 40 ms across; clients in east only, 3 + 3 replicas.
    /// By hand: east Wᵢ = 50.5, ack at 52; west Wᵢ = 21, ack at 42; east Rᵢ = 1.5, answer at 3; west Rᵢ = 21, answer at 42.
    static func slowEast() -> Topology {
        let slow = LatencyModel(name: "slow-write", write: constant(50), writeAck: constant(1), read: constant(1), readResponse: constant(1))
        let fast = LatencyModel.symmetric("fast", constant(1))
        return Topology(name: "east-west",
                        datacenters: [.init(name: "east", trafficShare: 1, replicas: 3, service: slow),
                                      .init(name: "west", trafficShare: 0, replicas: 3, service: fast)],
                        rtt: [[constant(1), constant(40)], [constant(40), constant(1)]])
    }

    @Test(arguments: [
        // (write, read, commit, read latency, τ)
        (ConsistencyLevel.one, ConsistencyLevel.localOne, 42.0, 3.0, 7.0), // read at an east replica the write reaches 7 ms after commit
        (.one, .quorum, 42, 42, -42), // QUORUM = 4 of 6 includes the west replica that acked
        (.eachQuorum, .localOne, 52, 3, -3), // a quorum in each site: the east quorum acks last
        (.localQuorum, .localQuorum, 52, 3, -3),
        (.all, .one, 52, 3, -3),
        (.count(3), .count(3), 42, 3, 7), // the three west acks come first; the three east answers first
        (.count(4), .count(3), 52, 3, -3),
    ])
    func constantDelaysGiveTheClosedForm(write: ConsistencyLevel, read: ConsistencyLevel, commit: Double, readLatency: Double, tau: Double) throws {
        var rng = Xoshiro256StarStar(seed: 1)
        let samples = try #require(TopologyPBS(topology: Self.slowEast(), read: read, write: write)).run(trials: 500, rng: &rng)
        #expect(samples.writeLatency.allSatisfy { $0 == commit }, "\(samples.writeLatency.first!)")
        #expect(samples.readLatency.allSatisfy { $0 == readLatency }, "\(samples.readLatency.first!)")
        #expect(samples.threshold.allSatisfy { $0 == tau }, "\(samples.threshold.first!)")
    }

    /// A local level with no local replica, or a count above N, cannot serve clients: refused, with the reason.
    @Test func unservableLevelsAreRefused() {
        let topology = Self.slowEast().with(replicas: [0, 3])
        #expect(TopologyPBS(topology: topology, read: .localOne, write: .one) == nil)
        #expect(TopologyPBS.unservable(topology: topology, read: .localOne, write: .one)?.contains("clients in east") == true)
        #expect(TopologyPBS(topology: Self.slowEast(), read: .one, write: .count(7)) == nil)
    }

    /// The simulator with the same topology (one node per replica, coordinator in the client's
    /// datacenter, delays RTT/2 + leg) agrees with the Monte Carlo on P(consistent) t ms after
    /// commit and on read and write latency percentiles, for one write then one read.
    @Test(arguments: [(0.0, 1, 1), (2.0, 1, 1), (0.0, 2, 2)])
    func simulatorAgreesWithTheMonteCarlo(tMs: Double, r: Int, w: Int) throws {
        let ssd = try LatencyModelCatalog.bundled.model(named: "lnkd-ssd")
        let disk = try LatencyModelCatalog.bundled.model(named: "lnkd-disk")
        let topology = Topology(name: "two", datacenters: [.init(name: "a", trafficShare: 0.6, replicas: 2, service: ssd),
                                                           .init(name: "b", trafficShare: 0.4, replicas: 2, service: disk)],
                                rtt: [[Self.constant(0.4), Self.constant(6)], [Self.constant(6), Self.constant(0.4)]])
        let setup = QuorumSimulation.Setup(nodeCount: 4, quorum: QuorumConfiguration(n: 4, r: r, w: w, timeoutNanoseconds: 10_000_000_000),
                                           network: NetworkModel(topology: topology))
        let pairs = 6_000
        let sim = QuorumSimulation(setup).run(.writeThenRead(pairs: pairs, readDelayNanoseconds: Int64(tMs * 1e6), spacingNanoseconds: 200_000_000), seed: 5)
        #expect(sim.successfulReads == pairs)
        var rng = Xoshiro256StarStar(seed: 6)
        let trials = 200_000
        let mc = try #require(TopologyPBS(topology: topology, read: .count(r), write: .count(w))).run(trials: trials, rng: &rng)
        let expected = PBSReport.fractionAtOrBelow(mc.threshold, tMs)
        let simulated = 1 - sim.staleFraction
        let sigma = (expected * (1 - expected) * (1 / Double(pairs) + 1 / Double(trials))).squareRoot()
        #expect(abs(simulated - expected) <= 4 * sigma + 1e-9, "simulated \(simulated) vs Monte Carlo \(expected)")
        // A percentile of `pairs` draws from the Monte Carlo's distribution lies between the
        // quantiles at ranks pairs·q ∓ 4σ (σ = √(pairs·q·(1−q))); the histogram's ≤ 0.1 % rounding on top.
        for (histogram, samples) in [(sim.reads, mc.readLatency), (sim.writes, mc.writeLatency)] {
            for q in [0.5, 0.99] {
                let spread = 4 * (Double(pairs) * q * (1 - q)).squareRoot() / Double(pairs)
                let low = PBSReport.quantile(samples, max(0, q - spread)), high = PBSReport.quantile(samples, min(1, q + spread))
                let simulatedMs = Double(histogram.value(atPercentile: q * 100)) / 1e6
                #expect(simulatedMs >= low * 0.99 - 0.01 && simulatedMs <= high * 1.01 + 0.01, "q \(q): simulated \(simulatedMs) vs [\(low), \(high)]")
            }
        }
    }
}
