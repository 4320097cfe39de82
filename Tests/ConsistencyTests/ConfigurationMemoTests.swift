import Stats
import Testing
@testable import Consistency

/// The search memo: fingerprints of sets, the table, and its byte bound.
@Suite struct ConfigurationMemoTests {
    @Test func fingerprintIsOfTheSetNotTheOrder() {
        let a = Fingerprint().toggling(1).toggling(5).toggling(9)
        let b = Fingerprint().toggling(9).toggling(1).toggling(5)
        #expect(a == b)
        #expect(a.toggling(5).toggling(5) == a)
        #expect(a.toggling(1).toggling(5).toggling(9) == Fingerprint())
        #expect(a != Fingerprint().toggling(1).toggling(5))
        #expect(a.with(state: 1) != a.with(state: 2))
        #expect(a.with(state: 1) != a)
    }

    @Test func storesEachConfigurationOnceAcrossGrowth() {
        var memo = ConfigurationMemo(maxBytes: 1 << 30)
        let sets = (0..<50_000).map { Fingerprint().toggling($0).toggling($0 + 100_000).with(state: Int32($0 % 3)) }
        var added = 0, again = 0
        for f in sets where memo.insert(f) { added += 1 }
        for f in sets where memo.insert(f) { again += 1 }
        #expect(added == 50_000 && again == 0)
        #expect(memo.count == 50_000)
        #expect(!memo.isFull)
    }

    @Test func theByteBoundHolds() {
        var memo = ConfigurationMemo(maxBytes: 64 << 10)
        for i in 0..<100_000 { _ = memo.insert(Fingerprint().toggling(i)) }
        #expect(memo.isFull)
        #expect(memo.bytes <= 64 << 10)
        #expect(memo.count == (64 << 10) / 16 * 3 / 4)
        // Stored entries are still found; unstored ones are reported new, every time.
        let first = memo.insert(Fingerprint().toggling(0))
        let last = memo.insert(Fingerprint().toggling(99_999))
        let lastAgain = memo.insert(Fingerprint().toggling(99_999))
        #expect(!first && last && lastAgain)
    }

    /// At its bound the memo stops storing and the verdict does not change.
    @Test func aFullMemoKeepsVerdictsExact() throws {
        var generator = RandomHistory(rng: Xoshiro256StarStar(seed: 9))
        let tiny = LinearizabilityChecker(memoBytesPerKey: 1, usesZones: false) // the search itself, not zones
        for trial in 0..<500 {
            generator.uniqueValues = trial % 2 == 0
            let h = generator.make(operations: 8, processes: 3)
            #expect(try tiny.check(h).verdict == (try BruteForce.linearizable(h) ? .linearizable : .notLinearizable))
        }
        var rng = Xoshiro256StarStar(seed: 2)
        let big = History.concurrentRegisters(operations: 20_000, keys: 1, processes: 4, using: &rng)
        let bounded = try tiny.check(big)
        let free = try LinearizabilityChecker(usesZones: false).check(big)
        #expect(bounded.verdict == .linearizable && free.verdict == .linearizable)
        #expect(bounded.memoFullKeys == 1 && free.memoFullKeys == 0)
        #expect(bounded.maxMemoEntriesPerKey == 768 && free.maxMemoEntriesPerKey > 10_000)
        #expect(bounded.steps >= free.steps)
    }
}
