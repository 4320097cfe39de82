import Benchmark
import BenchmarkSupport
import Foundation
import Quorum
import Simulation
import struct Stats.LatencyDistribution
import struct Stats.LatencyModel
import struct Stats.LatencyModelCatalog
import struct Stats.Xoshiro256StarStar
import Workload

/// The quorum area's costs: one latency draw from a preset mixture (must not
/// allocate), one PBS WARS trial batch, and 1 000 simulated operations with
/// each versioning (LWW; vector clocks with siblings), so their ratio is measured in one run.
let benchmarks: @Sendable () -> Void = {
    let noAllocation = LabBenchmark.configuration(mallocsPerIteration: 0)
    let measured = LabBenchmark.configuration(scaling: .one)

    let disk = try! LatencyModelCatalog.bundled.model(named: "lnkd-disk")
    Benchmark("lnkd-disk-W-draw-mixture", configuration: noAllocation) { benchmark in
        draws(disk.write, benchmark)
    }

    let ssd = try! LatencyModelCatalog.bundled.model(named: "lnkd-ssd")
    Benchmark("PBS-10k-WARS-trials-N3-R1-W1", configuration: measured) { benchmark in
        pbsTrials(ssd, benchmark)
    }

    Benchmark("simulate-1k-ops-N3-R2-W2", configuration: measured) { benchmark in
        simulate(ssd, .lww, benchmark)
    }

    Benchmark("simulate-1k-ops-N3-R2-W2-vector-clocks", configuration: measured) { benchmark in
        simulate(ssd, .vectorClocks, benchmark)
    }
}

func draws(_ distribution: LatencyDistribution, _ benchmark: Benchmark) {
    var rng = Xoshiro256StarStar(seed: 1)
    for _ in benchmark.scaledIterations { blackHole(distribution.sample(&rng)) }
}

func pbsTrials(_ model: LatencyModel, _ benchmark: Benchmark) {
    var rng = Xoshiro256StarStar(seed: 2)
    let pbs = PBSMonteCarlo(model: model, n: 3, r: 1, w: 1)
    for _ in benchmark.scaledIterations { blackHole(pbs.run(trials: 10_000, rng: &rng).threshold.count) }
}

func simulate(_ model: LatencyModel, _ versioning: Versioning, _ benchmark: Benchmark) {
    var quorum = QuorumConfiguration(n: 3, r: 2, w: 2)
    quorum.versioning = versioning
    let setup = QuorumSimulation.Setup(nodeCount: 6, quorum: quorum, network: NetworkModel(model: model, nodeCount: 6))
    for _ in benchmark.scaledIterations {
        let stream = OperationStream(ratePerSecond: 1_000, writeFraction: 0.5, keys: KeyDistribution(.uniform, keyCount: 1_000),
                                     clients: 16, rng: Xoshiro256StarStar(seed: 3))
        blackHole(QuorumSimulation(setup).run(.workload(stream, operations: 1_000), seed: 4).events)
    }
}
