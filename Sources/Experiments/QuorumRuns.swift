import Lab
import Quorum
import Simulation
import Stats
import Workload

/// Shared set-up for the simulated quorum experiments (`pacelc`, `partition`):
/// a cluster, an open-loop workload, and one run from a seeded generator.
enum QuorumRuns {
    static let nodeCount = 6
    /// Request timeout: above the WAN round trip (2 × 75 ms) plus a heavy disk tail,
    /// so a timeout means unreachable, not slow. Sloppy fallbacks start at a quarter of it.
    static let timeoutNanoseconds: Int64 = 1_000_000_000

    static func workload(operations: Int, ratePerSecond: Double = 1_000, rng: inout Xoshiro256StarStar) -> QuorumSimulation.Driver {
        // YCSB workload A's shape: 50 % writes, zipfian keys (θ = 0.99), open-loop arrivals.
        .workload(OperationStream(ratePerSecond: ratePerSecond, writeFraction: 0.5, keys: KeyDistribution(.zipfian(theta: 0.99), keyCount: 1_000),
                                  clients: 16, rng: rng.split()), operations: operations)
    }

    /// Operations per run for the partition experiments (`partition`, `versioning`): about that many ms at 1000 ops/s.
    static func partitionRunOperations(_ scale: Scale) -> Int {
        switch scale {
        case .quick: return 1_000
        case .standard: return 6_000
        case .full: return 60_000
        }
    }

    /// Nodes 0 and 1 cut off from the rest for the middle half of an open-loop run of `operations` at 1000 ops/s.
    static func middleHalfPartition(operations: Int) -> NetworkModel.Partition {
        let runNanoseconds = Int64(operations) * 1_000_000
        return NetworkModel.Partition(startNanoseconds: runNanoseconds / 4, endNanoseconds: runNanoseconds * 3 / 4, isolated: [0, 1])
    }

    static func ms(_ nanoseconds: UInt64) -> String { Cell.fixed(Double(nanoseconds) / 1e6, 3) }
}
