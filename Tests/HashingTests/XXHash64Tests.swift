import Testing
@testable import Hashing

@Suite struct XXHash64Tests {
    /// Known answers from the reference C implementation (libxxhash via the
    /// `xxhash` Python binding, `xxhash.xxh64(data, seed).intdigest()`),
    /// chosen to hit every tail path: empty, 1–3 bytes, 4-byte and 8-byte
    /// tails, exactly 32 bytes, and the 32-byte stripe loop.
    static let vectors: [(input: [UInt8], seed: UInt64, hash: UInt64)] = [
        (Array("".utf8), 0, 0xEF46_DB37_51D8_E999),
        (Array("a".utf8), 0, 0xD24E_C4F1_A98C_6E5B),
        (Array("abc".utf8), 0, 0x44BC_2CF5_AD77_0999),
        (Array("message digest".utf8), 0, 0x066E_D728_FCEE_B3BE),
        (Array("abcdefghijklmnopqrstuvwxyz".utf8), 0, 0xCFE1_F278_FA89_835C),
        (Array("Nobody inspects the spammish repetition".utf8), 0, 0xFBCE_A83C_8A37_8BF1),
        (Array("".utf8), 1, 0xD5AF_BA13_36A3_BE4B),
        (Array("a".utf8), 2_654_435_761, 0x393D_A8B7_8992_279B),
        (Array(0..<31), 0, 0xC346_D2B5_9B4D_8EE1),
        (Array(0..<32), 0, 0xCBF5_9C51_16FF_32B4),
        (Array(0..<33), 7, 0x0C43_E577_54C7_78D9),
        (Array(0...255) + Array(0...255), 0, 0x7B3B_FCAA_C034_8AC0),
        (Array(0...255) + Array(0...255), 123_456_789, 0xD7FF_BD50_C2DB_CF48),
    ]

    @Test func matchesReferenceVectors() {
        for v in Self.vectors {
            #expect(XXHash64.hash(v.input, seed: v.seed) == v.hash, "length \(v.input.count) seed \(v.seed)")
        }
    }

    @Test func integerKeysHashAsTheirLittleEndianBytes() {
        // Reference: xxh64(struct.pack('<Q', k), 0).
        #expect(XXHash64.hash(UInt64(0)) == 0x34C9_6ACD_CADB_1BBB)
        #expect(XXHash64.hash(UInt64(1)) == 0x9F29_CB17_A2A4_9995)
        #expect(XXHash64.hash(UInt64(42)) == 0xB556_806F_B6D1_4353)
        #expect(XXHash64.hash(UInt64(0xDEAD_BEEF_CAFE_BABE)) == 0x71B9_45FC_6AA7_8825)
        var state: UInt64 = 0x1234_5678
        for _ in 0..<1_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let bytes = withUnsafeBytes(of: state.littleEndian) { Array($0) }
            #expect(XXHash64.hash(state, seed: 99) == XXHash64.hash(bytes, seed: 99))
        }
    }

    @Test func stringsHashTheirUTF8Bytes() {
        #expect(XXHash64.hash("abc") == 0x44BC_2CF5_AD77_0999)
        #expect(XXHash64.hash("naïve", seed: 5) == XXHash64.hash(Array("naïve".utf8), seed: 5))
    }
}
