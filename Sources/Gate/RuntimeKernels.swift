import Quorum
import Simulation
import Stats

/// Kernel bodies for what both runtimes share (`RuntimeSupport`): the
/// network model's draw per message, the event heap per event, the
/// consistency judge per read.
enum RuntimeKernels {
    /// One message's delivery time: partition check, WARS leg, lnkd-ssd draw; 6 nodes, one datacenter.
    @inline(never)
    static func deliveryTimes(_ iterations: Int) -> Int {
        let network = NetworkModel(model: QuorumKernels.ssd(), nodeCount: 6)
        var rng = Xoshiro256StarStar(seed: 0x6E_6574)
        let version = Versioned.lww(Version(timestamp: 1, coordinator: 0, sequence: 1))
        let messages: [Message] = [.store(request: 1, key: 2, version: version, hintFor: nil), .stored(request: 1),
                                   .fetch(request: 2, key: 2), .fetched(request: 2, version: version)]
        var sum: Int64 = 0
        for i in 0..<iterations {
            if let due = network.deliveryTime(from: i % 6, to: (i &+ 1) % 6, message: messages[i & 3], at: 0, rng: &rng) { sum &+= due }
        }
        return Int(truncatingIfNeeded: sum)
    }

    /// One push and one pop on an event heap that holds 1 000 events.
    @inline(never)
    static func eventQueue(_ iterations: Int) -> Int {
        var rng = Xoshiro256StarStar(seed: 0x68_6561_70)
        var queue = EventQueue<Int>()
        for i in 0..<1_000 { queue.push(i, at: Int64(rng.next() % 1_000_000)) }
        var sum = 0
        for _ in 0..<iterations {
            let now = queue.earliest!
            sum &+= queue.removeEarliest()
            queue.push(sum & 0xFFFF, at: now &+ Int64(rng.next() % 1_000_000))
        }
        return sum
    }

    /// One LWW read judged against its key's completed writes (10 per key,
    /// 100 keys) and its client's session (16 clients).
    @inline(never)
    static func judgedReads(_ iterations: Int) -> Int {
        func version(_ i: Int) -> Versioned { .lww(Version(timestamp: Int64(i), coordinator: i % 6, sequence: UInt64(i))) }
        var judge = ConsistencyJudge()
        for i in 1...1_000 {
            judge.wrote(key: UInt64(i % 100), sequence: UInt64(i), session: i % 16, issued: Int64(i) * 1_000,
                        completed: Int64(i) * 1_000 + 500, version: version(i))
        }
        var result = SimulationResult()
        for i in 0..<iterations {
            judge.read(version(900 + i % 100), key: UInt64(i % 100), session: i % 16, invoked: 2_000_000, inPartition: false, into: &result)
        }
        return result.staleReads &+ result.versionsBehindTotal
    }
}
