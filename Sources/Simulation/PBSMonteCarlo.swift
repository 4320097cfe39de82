import Stats

/// The WARS Monte Carlo of Probabilistically Bounded Staleness (Bailis et
/// al., "Probabilistically Bounded Staleness for Practical Partial Quorums",
/// PVLDB 5(8), 2012, §5): how likely a read that starts t ms after a write
/// commits sees that write, in a Dynamo-style store with N replicas, read
/// quorum R and write quorum W.
///
/// One trial draws Wᵢ, Aᵢ, Rᵢ, Sᵢ for every replica i from the model. The
/// write commits at w_t, the W-th smallest Wᵢ + Aᵢ. A read sent to all N at
/// w_t + t returns the first R responders by Rᵢ + Sᵢ; it is consistent if
/// one of them received its read request no earlier than the write
/// (w_t + t + Rᵢ ≥ Wᵢ). The read set does not depend on t, so a trial
/// reduces to one threshold τ = min over the read set of (Wᵢ − Rᵢ − w_t):
/// the read is consistent exactly when t ≥ τ. Every question about t is
/// then a question about the distribution of τ. Assumes one write then one
/// read, no read repair, no failures, coordinator not a replica.
///
/// - Complexity: O(T·N²) time for T trials (an insertion sort of N values
///   twice per trial; N is small), 24·T bytes for the three per-trial
///   samples, nothing allocated inside the trial loop.
public struct PBSMonteCarlo: Sendable {
    public let model: LatencyModel
    public let n: Int
    public let r: Int
    public let w: Int

    public init(model: LatencyModel, n: Int, r: Int, w: Int) {
        precondition(n >= 1 && r >= 1 && w >= 1 && r <= n && w <= n, "PBS needs 1 ≤ R, W ≤ N")
        self.model = model
        self.n = n
        self.r = r
        self.w = w
    }

    /// The per-trial outcomes, each sorted ascending.
    public struct Samples: Sendable {
        /// Write latency (commit time w_t), ms.
        public let writeLatency: [Double]
        /// Read latency (R-th fastest Rᵢ + Sᵢ), ms.
        public let readLatency: [Double]
        /// τ: the read is consistent when started at least τ ms after commit (may be negative).
        public let threshold: [Double]

        public var trials: Int { threshold.count }

        /// Runs `trial` `trials` times and sorts each outcome (no allocation inside the loop).
        @inline(__always)
        static func collect(trials: Int, _ trial: () -> (Double, Double, Double)) -> Samples {
            var writes = [Double](repeating: 0, count: trials)
            var reads = [Double](repeating: 0, count: trials)
            var thresholds = [Double](repeating: 0, count: trials)
            writes.withUnsafeMutableBufferPointer { writes in
                reads.withUnsafeMutableBufferPointer { reads in
                    thresholds.withUnsafeMutableBufferPointer { thresholds in
                        for index in 0..<trials {
                            (writes[index], reads[index], thresholds[index]) = trial()
                        }
                    }
                }
            }
            writes.sort()
            reads.sort()
            thresholds.sort()
            return Samples(writeLatency: writes, readLatency: reads, threshold: thresholds)
        }
    }

    /// Runs `trials` trials from `rng`.
    public func run(trials: Int, rng: inout Xoshiro256StarStar) -> Samples {
        precondition(trials >= 1, "PBS needs at least one trial")
        let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: 4 * n)
        let order = UnsafeMutableBufferPointer<Int>.allocate(capacity: n)
        defer {
            scratch.deallocate()
            order.deallocate()
        }
        return Samples.collect(trials: trials) { runTrial(&rng, scratch: scratch, order: order) }
    }

    /// One trial: (write latency, read latency, τ). `scratch` holds 4·N
    /// doubles and `order` N ints; both are overwritten. Public so the
    /// regression gate can count one trial without the final sorts.
    @inline(__always)
    public func runTrial(_ rng: inout Xoshiro256StarStar, scratch: UnsafeMutableBufferPointer<Double>, order: UnsafeMutableBufferPointer<Int>)
        -> (Double, Double, Double)
    {
        // scratch layout: [0, n) Wᵢ, [n, 2n) Wᵢ+Aᵢ, [2n, 3n) Rᵢ, [3n, 4n) Rᵢ+Sᵢ.
        let n = self.n
        var writeLocal = -1, readLocal = -1
        if model.remoteDelayMs != nil {
            writeLocal = Int(rng.next() % UInt64(n))
            readLocal = Int(rng.next() % UInt64(n))
        }
        let remote = model.remoteDelayMs ?? 0
        for i in 0..<n {
            let writeExtra = (writeLocal < 0 || i == writeLocal) ? 0 : remote
            let readExtra = (readLocal < 0 || i == readLocal) ? 0 : remote
            let wi = model.write.sample(&rng) + writeExtra
            let ai = model.writeAck.sample(&rng) + writeExtra
            let ri = model.read.sample(&rng) + readExtra
            let si = model.readResponse.sample(&rng) + readExtra
            scratch[i] = wi
            scratch[n &+ i] = wi + ai
            scratch[2 &* n &+ i] = ri
            scratch[3 &* n &+ i] = ri + si
        }
        // Commit time: W-th smallest Wᵢ + Aᵢ (partial insertion sort of the acks, in place).
        let acks = UnsafeMutableBufferPointer(rebasing: scratch[n..<(2 &* n)])
        insertionSort(acks)
        let commit = acks[w &- 1]
        // Read set: the R replicas with the smallest Rᵢ + Sᵢ.
        for i in 0..<n { order[i] = i }
        let responses = 3 &* n
        var i = 1
        while i < n {
            let item = order[i]
            let key = scratch[responses &+ item]
            var j = i &- 1
            while j >= 0 && scratch[responses &+ order[j]] > key {
                order[j &+ 1] = order[j]
                j &-= 1
            }
            order[j &+ 1] = item
            i &+= 1
        }
        var tau = Double.infinity
        for k in 0..<r {
            let replica = order[k]
            tau = Swift.min(tau, scratch[replica] - scratch[2 &* n &+ replica] - commit)
        }
        let readLatency = scratch[responses &+ order[r &- 1]]
        return (commit, readLatency, tau)
    }

    @inline(__always)
    func insertionSort(_ values: UnsafeMutableBufferPointer<Double>) {
        var i = 1
        while i < values.count {
            let key = values[i]
            var j = i &- 1
            while j >= 0 && values[j] > key {
                values[j &+ 1] = values[j]
                j &-= 1
            }
            values[j &+ 1] = key
            i &+= 1
        }
    }
}
