import Testing
@testable import Stats

@Suite struct GeneratorTests {
    @Test func splitMix64MatchesReferenceOutputs() {
        // Reference sequence for seed 1234567 (splitmix64.c; Rosetta Code "Pseudo-random numbers/Splitmix64").
        var rng = SplitMix64(seed: 1_234_567)
        let expected: [UInt64] = [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ]
        #expect((0..<5).map { _ in rng.next() } == expected)
    }

    @Test func xoshiro256StarStarMatchesReferenceOutputs() {
        // xoshiro256starstar.c seeded with state {1, 2, 3, 4} (the rand_xoshiro reference test).
        var rng = Xoshiro256StarStar(state: (1, 2, 3, 4))
        let expected: [UInt64] = [
            11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360,
            607_988_272_756_665_600, 16_172_922_978_634_559_625, 8_476_171_486_693_032_832,
            10_595_114_339_597_558_777, 2_904_607_092_377_533_576,
        ]
        #expect((0..<10).map { _ in rng.next() } == expected)
    }

    @Test func sameSeedSameStreamAndSplitStreamsDiffer() {
        var a = Xoshiro256StarStar(seed: 42)
        var b = Xoshiro256StarStar(seed: 42)
        #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
        var child = a.split()
        let parentDraws = (0..<100).map { _ in a.next() }
        let childDraws = (0..<100).map { _ in child.next() }
        #expect(Set(parentDraws).isDisjoint(with: childDraws))
    }

    @Test func unitDoublesAreInRangeAndUniform() {
        var rng = Xoshiro256StarStar(seed: 7)
        let n = 100_000
        let draws = (0..<n).map { _ in rng.nextUnitDouble() }
        #expect(draws.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = draws.reduce(0, +) / Double(n)
        // Standard error of the mean of U(0,1) is 1/sqrt(12n) ≈ 0.0009; allow 5 of them.
        #expect(abs(mean - 0.5) < 0.0046)
    }
}
