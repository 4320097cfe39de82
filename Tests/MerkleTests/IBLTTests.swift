import Merkle
import Stats
import Testing

@Suite struct IBLTTests {
    func tables(_ a: [Item], _ b: [Item], cells: Int) -> IBLT {
        var ta = IBLT(cells: cells), tb = IBLT(cells: cells)
        for item in a { ta.insert(item) }
        for item in b { tb.insert(item) }
        return ta.subtracting(tb)
    }

    func expected(_ a: [Item], _ b: [Item]) -> (Set<Item>, Set<Item>) {
        (Set(a).subtracting(b), Set(b).subtracting(a))
    }

    @Test(arguments: [1, 10, 100, 1_000])
    func decodesExactlyTheSymmetricDifferenceWhenSizedForIt(d: Int) {
        var rng = Xoshiro256StarStar(seed: UInt64(d))
        for _ in 0..<5 {
            let a = randomItems(3_000, rng: &rng)
            let b = diverge(a, by: d, rng: &rng).items
            // 3·d cells with k = 4 is far above the peeling threshold (≈ 1.3 d).
            guard case .complete(let here, let there) = tables(a, b, cells: max(40, 3 * d)).decode() else {
                Issue.record("a table of \(max(40, 3 * d)) cells failed for d = \(d)")
                continue
            }
            let (onlyA, onlyB) = expected(a, b)
            #expect(Set(here) == onlyA && here.count == onlyA.count)
            #expect(Set(there) == onlyB && there.count == onlyB.count)
        }
    }

    @Test func undersizedTablesReportFailureNeverAWrongAnswer() {
        var rng = Xoshiro256StarStar(seed: 99)
        var failures = 0
        for trial in 0..<60 {
            let a = randomItems(1_000, rng: &rng)
            let d = 50 + trial * 5
            let b = diverge(a, by: d, rng: &rng).items
            switch tables(a, b, cells: d / 2).decode() {
            case .complete: Issue.record("half a cell per item decoded (d = \(d))")
            case .failed: failures += 1
            }
        }
        #expect(failures == 60)  // half a cell per item is below any peeling threshold
    }

    /// Around the peeling threshold (≈ 1.3 cells per item for k = 4) some
    /// tables decode and some stall: every decode that claims completeness
    /// must be exactly the symmetric difference, and both outcomes must occur
    /// so the claim is exercised.
    @Test func tablesNearThePeelingThresholdDecodeExactlyOrFail() {
        var rng = Xoshiro256StarStar(seed: 1_234)
        var successes = 0, failures = 0
        for trial in 0..<150 {
            let a = randomItems(400, rng: &rng)
            let b = diverge(a, by: 8 + trial % 25, rng: &rng).items
            let (onlyA, onlyB) = expected(a, b)
            let size = onlyA.count + onlyB.count
            // From 0.9 to 1.7 cells per item of the symmetric difference.
            let cells = max(4, Int(Double(size) * (0.9 + 0.8 * Double(trial % 9) / 8)))
            switch tables(a, b, cells: cells).decode() {
            case .complete(let here, let there):
                successes += 1
                #expect(Set(here) == onlyA && here.count == onlyA.count && Set(there) == onlyB && there.count == onlyB.count,
                        "trial \(trial): \(cells) cells for \(size) items decoded a wrong difference")
            case .failed:
                failures += 1
            }
        }
        #expect(successes >= 20 && failures >= 20, "\(successes) decodes, \(failures) failures: the threshold was not straddled")
    }

    @Test func emptyDifferenceDecodesToNothing() {
        var rng = Xoshiro256StarStar(seed: 3)
        let a = randomItems(500, rng: &rng)
        #expect(tables(a, a.shuffled(using: &rng), cells: 40).decode() == .complete(onlyHere: [], onlyThere: []))
    }

    @Test(arguments: [10, 100, 1_000, 5_000])
    func strataEstimateIsWithinAFactorOfTwo(d: Int) {
        var rng = Xoshiro256StarStar(seed: UInt64(d) + 7)
        let a = randomItems(20_000, rng: &rng)
        let b = diverge(a, by: d, rng: &rng).items
        var ea = StrataEstimator(), eb = StrataEstimator()
        for item in a { ea.insert(item) }
        for item in b { eb.insert(item) }
        // A changed version is two items of the symmetric difference.
        let truth = expected(a, b).0.count + expected(a, b).1.count
        let estimate = ea.estimate(against: eb)
        #expect(estimate >= truth / 2 && estimate <= truth * 2, "estimate \(estimate) for \(truth)")
    }

    @Test(arguments: [0, 1, 30, 700])
    func reconciliationFindsTheDifference(d: Int) {
        var rng = Xoshiro256StarStar(seed: UInt64(d) + 70)
        let a = randomItems(5_000, rng: &rng)
        let b = diverge(a, by: d, rng: &rng).items
        let report = IBLTReconciliation.run(initiator: a, responder: b)
        let (onlyA, onlyB) = expected(a, b)
        #expect(report.succeeded)
        #expect(Set(report.onlyInitiator) == onlyA && Set(report.onlyResponder) == onlyB)
        #expect(report.roundTrips == 2 + report.decodeFailures)
    }
}
