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
                    // A client read some replica's state earlier and now writes through replica r.
                    let read = replicas[Int(rng.next() % 3)]
                    nextValue += 1
                    let written = Clock(context: read.context, values: [nextValue]).update(with: replicas[r], by: NodeID(r + 1))
                    #expect(written.values.contains(nextValue))
                    // Values the client had read are overwritten; unseen ones survive as siblings.
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
                    let z = replicas[3 - r - s >= 0 && 3 - r - s < 3 ? 3 - r - s : 0]
                    #expect(Self.same(xy.synced(with: z), x.synced(with: y.synced(with: z))), "sync associates")
                    replicas[r] = xy
                }
            }
        }
    }
}
