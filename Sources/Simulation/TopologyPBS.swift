import Stats

/// The WARS Monte Carlo of Probabilistically Bounded Staleness (Bailis et
/// al., PVLDB 5(8), 2012, §5) over a ``Topology``: replicas placed per
/// datacenter, consistency levels per operation, the coordinator in the
/// client's datacenter, every message delayed by the topology's model
/// (RTT/2 plus the leg's draw).
///
/// One trial draws the writer's and the reader's datacenters by traffic
/// share, then Wᵢ, Aᵢ, Rᵢ, Sᵢ for every replica i in that order. The write
/// commits when the acks (Wᵢ + Aᵢ) meet the write level; the read completes
/// when the responses (Rᵢ + Sᵢ) meet the read level, and its read set is the
/// answers that counted. It is consistent if one of them received its read
/// request no earlier than the write, so as in ``PBSMonteCarlo`` a trial
/// reduces to the threshold τ = min over the read set of (Wᵢ − Rᵢ − commit).
/// With one datacenter, RTT 0 and count levels it draws exactly the numbers
/// ``PBSMonteCarlo`` draws and gives the same samples.
///
/// - Complexity: O(T·N²) for T trials (insertion sorts of N values), 24·T
///   bytes of samples, no allocation inside the trial loop.
public struct TopologyPBS: Sendable {
    public let topology: Topology
    public let readLevel: ConsistencyLevel
    public let writeLevel: ConsistencyLevel
    let replicaDC: [Int]
    /// Requirement per coordinator datacenter (nil where clients there cannot be served).
    let readRequirement: [ConsistencyLevel.Requirement?]
    let writeRequirement: [ConsistencyLevel.Requirement?]

    /// Nil when some datacenter with clients cannot meet a level even with
    /// every replica up (say so to the caller; ``unservable`` names it).
    public init?(topology: Topology, read: ConsistencyLevel, write: ConsistencyLevel) {
        self.topology = topology
        readLevel = read
        writeLevel = write
        replicaDC = topology.replicaDatacenters
        let replicas = topology.replicasPerDatacenter
        readRequirement = topology.datacenters.indices.map { read.requirement(replicas: replicas, coordinator: $0) }
        writeRequirement = topology.datacenters.indices.map { write.requirement(replicas: replicas, coordinator: $0) }
        for d in topology.datacenters.indices where topology.datacenters[d].trafficShare > 0 {
            if readRequirement[d] == nil || writeRequirement[d] == nil { return nil }
        }
    }

    /// Why ``init(topology:read:write:)`` fails for these levels, or nil.
    public static func unservable(topology: Topology, read: ConsistencyLevel, write: ConsistencyLevel) -> String? {
        let replicas = topology.replicasPerDatacenter
        for (d, dc) in topology.datacenters.enumerated() where dc.trafficShare > 0 {
            for (name, level) in [("read", read), ("write", write)] where level.requirement(replicas: replicas, coordinator: d) == nil {
                return "\(name) level \(level) cannot be met for clients in \(dc.name) with replicas \(replicas) (N = \(replicas.reduce(0, +)))"
            }
        }
        return nil
    }

    public func run(trials: Int, rng: inout Xoshiro256StarStar) -> PBSMonteCarlo.Samples {
        precondition(trials >= 1, "PBS needs at least one trial")
        let n = replicaDC.count
        let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: 4 * n)
        let order = UnsafeMutableBufferPointer<Int>.allocate(capacity: n)
        let counted = UnsafeMutableBufferPointer<Int>.allocate(capacity: n)
        var needs = [Int](repeating: 0, count: topology.datacenters.count)
        defer {
            scratch.deallocate()
            order.deallocate()
            counted.deallocate()
        }
        return PBSMonteCarlo.Samples.collect(trials: trials) { runTrial(&rng, scratch: scratch, order: order, counted: counted, needs: &needs) }
    }

    /// One trial: (write latency, read latency, τ).
    func runTrial(_ rng: inout Xoshiro256StarStar, scratch: UnsafeMutableBufferPointer<Double>, order: UnsafeMutableBufferPointer<Int>,
                  counted: UnsafeMutableBufferPointer<Int>, needs: inout [Int]) -> (Double, Double, Double) {
        let n = replicaDC.count
        let writer = topology.clientDatacenter(&rng)
        let reader = topology.clientDatacenter(&rng)
        // scratch layout: [0, n) Wᵢ, [n, 2n) Wᵢ+Aᵢ, [2n, 3n) Rᵢ, [3n, 4n) Rᵢ+Sᵢ.
        for i in 0..<n {
            let d = replicaDC[i]
            let wi = topology.oneWay(from: writer, to: d, replica: d, leg: .write, &rng)
            let ai = topology.oneWay(from: d, to: writer, replica: d, leg: .writeAck, &rng)
            let ri = topology.oneWay(from: reader, to: d, replica: d, leg: .read, &rng)
            let si = topology.oneWay(from: d, to: reader, replica: d, leg: .readResponse, &rng)
            scratch[i] = wi
            scratch[n + i] = wi + ai
            scratch[2 * n + i] = ri
            scratch[3 * n + i] = ri + si
        }
        let (commit, _) = complete(base: n, requirement: writeRequirement[writer]!, scratch: scratch, order: order, counted: counted, needs: &needs)
        let (readLatency, readSet) = complete(base: 3 * n, requirement: readRequirement[reader]!, scratch: scratch, order: order,
                                              counted: counted, needs: &needs)
        var tau = Double.infinity
        for k in 0..<readSet {
            let replica = counted[k]
            tau = Swift.min(tau, scratch[replica] - scratch[2 * n + replica] - commit)
        }
        return (commit, readLatency, tau)
    }

    /// Orders the replicas by the times at `scratch[base + i]` (stable
    /// insertion sort) and walks them until `requirement` is met: returns
    /// the completion time and how many answers counted, listed in `counted`.
    func complete(base: Int, requirement: ConsistencyLevel.Requirement, scratch: UnsafeMutableBufferPointer<Double>,
                  order: UnsafeMutableBufferPointer<Int>, counted: UnsafeMutableBufferPointer<Int>, needs: inout [Int]) -> (Double, Int) {
        let n = replicaDC.count
        for i in 0..<n { order[i] = i }
        var i = 1
        while i < n {
            let item = order[i]
            let key = scratch[base + item]
            var j = i - 1
            while j >= 0 && scratch[base + order[j]] > key {
                order[j + 1] = order[j]
                j -= 1
            }
            order[j + 1] = item
            i += 1
        }
        for d in needs.indices { needs[d] = requirement.perDatacenter[d] }
        var anyNeeded = requirement.total
        var remaining = requirement.answers
        var count = 0
        for k in 0..<n {
            let replica = order[k]
            let d = replicaDC[replica]
            if needs[d] > 0 {
                needs[d] -= 1
            } else if anyNeeded > 0 {
                anyNeeded -= 1
            } else {
                continue
            }
            counted[count] = replica
            count += 1
            remaining -= 1
            if remaining == 0 { return (scratch[base + replica], count) }
        }
        preconditionFailure("a requirement checked at init is always met with every replica answering")
    }
}
