import Simulation

/// Exact availability from quorum arithmetic, no simulation: under a
/// failure, which replicas a coordinator in each datacenter can reach, and
/// whether the read and write levels can still be met there (the model of
/// Cassandra's "cannot achieve consistency level" — Apache Cassandra
/// documentation, "Tunable consistency"). The coordinator is in the
/// client's datacenter and is not a replica, so node failures leave it up.
///
/// - Complexity: `any k nodes` visits the C(n₁+1, …)-many distinct down-counts
///   per datacenter (not the C(N, k) subsets: only counts matter), O(D) each
///   for D datacenters; a datacenter failure is O(D²).
public enum Availability {
    /// The fraction of client requests served: reads and writes weighted by
    /// the mix, clients by traffic share. For `any k nodes`, the worst k;
    /// for a lost datacenter, over the clients of the others. Also returns
    /// the per-datacenter fraction (nil for a datacenter whose clients do not count) and
    /// the replicas down per datacenter in the worst case (for the simulator's fault schedule).
    public struct Answer: Sendable, Equatable {
        public var served: Double
        public var byDatacenter: [Double?]
        public var down: [Int]
    }

    public static func served(_ failure: Failure, topology: Topology, replicas: [Int], read: ConsistencyLevel, write: ConsistencyLevel,
                              writeFraction: Double) -> Answer {
        let count = replicas.count
        switch failure {
        case .anyNodes(let k):
            var worst: Answer? = nil
            for down in downCounts(replicas: replicas, total: k) {
                let reachable = (0..<count).map { replicas[$0] - down[$0] }
                let byDC = (0..<count).map { c -> Double? in
                    fraction(reachable: reachable, replicas: replicas, coordinator: c, read: read, write: write, writeFraction: writeFraction)
                }
                let answer = Answer(served: weighted(byDC, topology), byDatacenter: byDC, down: down)
                if worst == nil || answer.served < worst!.served { worst = answer }
            }
            // Fewer than k replicas in all: all of them down.
            return worst ?? served(.anyNodes(replicas.reduce(0, +)), topology: topology, replicas: replicas, read: read, write: write,
                                   writeFraction: writeFraction)
        case .datacenterLost(let name):
            let lost = topology.index(of: name)!
            let reachable = (0..<count).map { $0 == lost ? 0 : replicas[$0] }
            let byDC = (0..<count).map { c -> Double? in
                c == lost ? nil : fraction(reachable: reachable, replicas: replicas, coordinator: c, read: read, write: write, writeFraction: writeFraction)
            }
            var down = Array(repeating: 0, count: count)
            down[lost] = replicas[lost]
            return Answer(served: weighted(byDC, topology), byDatacenter: byDC, down: down)
        case .datacenterPartitioned(let name):
            let cut = topology.index(of: name)!
            let byDC = (0..<count).map { c -> Double? in
                let reachable = (0..<count).map { d in (c == cut) == (d == cut) ? replicas[d] : 0 }
                return fraction(reachable: reachable, replicas: replicas, coordinator: c, read: read, write: write, writeFraction: writeFraction)
            }
            return Answer(served: weighted(byDC, topology), byDatacenter: byDC, down: Array(repeating: 0, count: count))
        }
    }

    /// Served fraction for clients in `coordinator` reaching `reachable` replicas per datacenter.
    static func fraction(reachable: [Int], replicas: [Int], coordinator: Int, read: ConsistencyLevel, write: ConsistencyLevel,
                         writeFraction: Double) -> Double {
        func ok(_ level: ConsistencyLevel) -> Double {
            guard let requirement = level.requirement(replicas: replicas, coordinator: coordinator) else { return 0 }
            return requirement.isMet(byAvailable: reachable) ? 1 : 0
        }
        return (1 - writeFraction) * ok(read) + writeFraction * ok(write)
    }

    /// Traffic-weighted mean over the datacenters that count (those with a value and traffic).
    static func weighted(_ byDC: [Double?], _ topology: Topology) -> Double {
        var total = 0.0, weight = 0.0
        for (d, value) in byDC.enumerated() {
            guard let value else { continue }
            total += value * topology.datacenters[d].trafficShare
            weight += topology.datacenters[d].trafficShare
        }
        return weight > 0 ? total / weight : 0
    }

    /// Every way to take `total` replicas down, as counts per datacenter.
    static func downCounts(replicas: [Int], total: Int) -> [[Int]] {
        var result: [[Int]] = []
        var current = Array(repeating: 0, count: replicas.count)
        func place(_ d: Int, _ left: Int) {
            if d == replicas.count {
                if left == 0 { result.append(current) }
                return
            }
            for k in 0...min(left, replicas[d]) {
                current[d] = k
                place(d + 1, left - k)
            }
            current[d] = 0
        }
        place(0, total)
        return result
    }
}
