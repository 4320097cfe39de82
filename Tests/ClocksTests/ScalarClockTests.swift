import Testing
@testable import Clocks
import Stats

/// Lamport clocks and hybrid logical clocks (Kulkarni et al. 2014).
@Suite struct ScalarClockTests {
    @Test func lamportOrdersACausalChain() {
        var p = LamportClock(), q = LamportClock()
        let send = p.tick()
        _ = q.tick(); _ = q.tick(); _ = q.tick()
        let receive = q.receive(send)
        #expect(send == 1 && receive == 4)
        #expect(p.receive(receive) == 5)
    }

    /// The paper's Figure 5 rules, step by step.
    @Test func hlcRulesFromThePaper() throws {
        typealias T = HybridLogicalClock.Timestamp
        var clock = HybridLogicalClock()
        #expect(clock.now(physicalTime: 10) == T(wall: 10, logical: 0))
        // Physical time did not advance: the logical part counts.
        #expect(clock.now(physicalTime: 10) == T(wall: 10, logical: 1))
        #expect(clock.now(physicalTime: 9) == T(wall: 10, logical: 2))
        // A message from a node whose clock is ahead: adopt its wall, logical + 1.
        #expect(try clock.receive(T(wall: 15, logical: 3), physicalTime: 11) == T(wall: 15, logical: 4))
        // Same wall on both sides: max of the logical parts + 1.
        #expect(try clock.receive(T(wall: 15, logical: 7), physicalTime: 12) == T(wall: 15, logical: 8))
        // Physical time passes everything: logical resets.
        #expect(try clock.receive(T(wall: 15, logical: 9), physicalTime: 20) == T(wall: 20, logical: 0))
    }

    @Test func hlcRefusesAMessageTooFarAhead() {
        var clock = HybridLogicalClock()
        _ = clock.now(physicalTime: 100)
        let before = clock
        #expect(throws: HybridLogicalClock.ClockOffsetError(remoteWall: 1_000, physicalTime: 101, maxOffset: 500)) {
            try clock.receive(.init(wall: 1_000, logical: 0), physicalTime: 101, maxOffset: 500)
        }
        #expect(clock == before)
    }

    /// Bounded drift: nodes whose physical clocks stay within ε of true time
    /// (so within 2ε of each other) exchange messages at random; at every
    /// event `wall − pt` stays within the skew bound, timestamps grow along
    /// every causal chain, and `logical` stays small.
    @Test func hlcDriftStaysBoundedBySkew() throws {
        var rng = Xoshiro256StarStar(seed: 2014)
        let nodes = 8
        let epsilon: UInt64 = 50           // each node's offset from true time is in [0, epsilon]
        let offsets = (0..<nodes).map { _ in rng.next() % (epsilon + 1) }
        var clocks = Array(repeating: HybridLogicalClock(), count: nodes)
        var inFlight: [(to: Int, stamp: HybridLogicalClock.Timestamp, deliverAt: UInt64)] = []
        var maxLogical: UInt64 = 0
        for trueTime in stride(from: UInt64(1_000), to: 21_000, by: 1) {
            // Deliver what is due.
            var remaining: [(to: Int, stamp: HybridLogicalClock.Timestamp, deliverAt: UInt64)] = []
            for message in inFlight {
                if message.deliverAt <= trueTime {
                    let pt = trueTime + offsets[message.to]
                    let stamp = try clocks[message.to].receive(message.stamp, physicalTime: pt)
                    #expect(stamp > message.stamp, "receive is after send")
                    #expect(stamp.wall - pt <= epsilon, "wall − pt bounded by the skew")
                    maxLogical = max(maxLogical, stamp.logical)
                } else {
                    remaining.append(message)
                }
            }
            inFlight = remaining
            // A few nodes send.
            if rng.next() % 2 == 0 {
                let from = Int(rng.next() % UInt64(nodes))
                let pt = trueTime + offsets[from]
                let stamp = clocks[from].now(physicalTime: pt)
                #expect(stamp.wall >= pt && stamp.wall - pt <= epsilon)
                let to = Int(rng.next() % UInt64(nodes))
                inFlight.append((to, stamp, trueTime + rng.next() % 20))
            }
        }
        // The paper bounds `logical` by the number of events within ε; in this run it stays tiny.
        #expect(maxLogical <= epsilon)
    }

    /// A node whose physical clock stands still (it keeps reading the same
    /// time) still issues increasing timestamps: only `logical` grows.
    @Test func hlcIsMonotonicWhenPhysicalTimeStalls() {
        var clock = HybridLogicalClock()
        var previous = clock.now(physicalTime: 500)
        for _ in 0..<100 {
            let next = clock.now(physicalTime: 500)
            #expect(next > previous && next.wall == 500)
            previous = next
        }
        #expect(previous.logical == 100)
    }
}
