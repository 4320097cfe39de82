import Testing
@testable import Clocks
import Stats

/// DVVSet laws over seeded random histories: three replicas of one key take
/// client writes (each client writing with the context of a replica it read
/// earlier) and sync with each other.
@Suite struct DVVSetPropertyTests {
    typealias Clock = DVVSet<Int>

    /// Causal history and the set of live values: what `sync` must preserve
    /// (the order in which anonymous values are listed is not specified).
    static func same(_ x: Clock, _ y: Clock) -> Bool {
        x.causallyEqual(y) && Set(x.values) == Set(y.values) && x.size == y.size
    }

    @Test func syncIsAJoinAndWritesOverwriteWhatTheirClientSaw() {
        var rng = Xoshiro256StarStar(seed: 2010)
        for _ in 0..<20 {
            var replicas = [Clock](repeating: Clock(entries: [], anonymous: []), count: 3)
            var nextValue = 0
            for _ in 0..<40 {
                let r = Int(rng.next() % 3)
                if rng.next() % 2 == 0 {
                    // A client read some replica's state and now writes through replica r.
                    let read = replicas[Int(rng.next() % 3)]
                    nextValue += 1
                    let written = Clock(context: read.context, values: [nextValue]).update(with: replicas[r], by: NodeID(r + 1))
                    #expect(written.values.contains(nextValue))
                    // Values the client had read are overwritten.
                    for value in read.values { #expect(!written.values.contains(value), "value \(value) was read by the writer, so it is overwritten") }
                    #expect(replicas[r].isCausallyBefore(written))
                    replicas[r] = written
                } else {
                    let s = Int(rng.next() % 3)
                    let (x, y) = (replicas[r], replicas[s])
                    let xy = x.synced(with: y), yx = y.synced(with: x)
                    #expect(Self.same(xy, yx), "sync commutes")
                    #expect(Self.same(xy.synced(with: y), xy), "sync absorbs a side already merged")
                    #expect(Self.same(x.synced(with: x), x), "sync is idempotent")
                    #expect(!xy.isCausallyBefore(x) && !xy.isCausallyBefore(y), "the sync is not older than either side")
                    let z = replicas[Int(rng.next() % 3)]
                    #expect(Self.same(xy.synced(with: z), x.synced(with: y.synced(with: z))), "sync associates")
                    replicas[r] = xy
                }
            }
        }
    }
}

/// The DVVSet wire format: round-trips, matches its size, names bad fields.
@Suite struct DVVSetEncodingTests {
    static func bytes(_ value: String) -> [UInt8] { Array(value.utf8) }
    static func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func knownAnswerAndRoundTrip() throws {
        let set = DVVSet<String>(entries: [.init(node: 1, counter: 3, values: ["v3", "v2"]), .init(node: 4, counter: 1, values: [])], anonymous: ["x"])
        var buffer: [UInt8] = []
        set.encode(into: &buffer, valueBytes: Self.bytes)
        // 2 entries; node 1, counter 3, 2 values "v3" "v2"; node +3, counter 1, 0 values; 1 anonymous "x".
        #expect(buffer == [2, 1, 3, 2, 2, 0x76, 0x33, 2, 0x76, 0x32, 3, 1, 0, 1, 1, 0x78])
        #expect(buffer.count == set.encodedSize(valueBytes: { $0.utf8.count }))
        #expect(try DVVSet<String>(decoding: buffer, value: Self.string) == set)
        #expect(throws: ClockDecodingError.outOfRange(field: "anonymous value count", value: 1, offset: 13)) {
            try DVVSet<String>(decoding: Array(buffer.prefix(14)), value: Self.string)
        }
    }

    @Test func randomSetsRoundTrip() throws {
        var rng = Xoshiro256StarStar(seed: 7)
        for _ in 0..<200 {
            var set = DVVSet<String>(values: ["0"]).update(by: NodeID(rng.next() % 5))
            for i in 1..<Int(rng.next() % 12 + 1) {
                let context = rng.next() % 2 == 0 ? set.context : []
                set = DVVSet(context: context, values: ["\(i)"]).update(with: set, by: NodeID(rng.next() % 5))
            }
            var buffer: [UInt8] = []
            set.encode(into: &buffer, valueBytes: Self.bytes)
            #expect(buffer.count == set.encodedSize(valueBytes: { $0.utf8.count }))
            #expect(try DVVSet<String>(decoding: buffer, value: Self.string) == set)
        }
    }
}
