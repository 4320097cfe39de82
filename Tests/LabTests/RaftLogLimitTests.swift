import Foundation
import Testing
@testable import Experiments
@testable import Lab
import Stats

/// The fdatasync limit of `raftlog-append` must be a floor: the probe does
/// the WAL's writes and syncs without its framing, so a WAL append with
/// policy fsync can never beat it on the probe's own pattern (sequential
/// appends into a fresh preallocated file). A probe that pays a cost the
/// WAL does not (as the old one did: a fresh 4 KiB block per sync) reads
/// above the WAL and fails here.
@Suite(.serialized) struct RaftLogLimitTests {
    @Test func walFsyncAppendsAreNeverFasterThanTheProbe() throws {
        let dir = try TemporaryDirectory()
        let appends = 100, rounds = 7
        var rng = Xoshiro256StarStar(seed: 1)
        let batch = RaftLogAppend.makeBatch(entries: 1, entryBytes: 64, rng: &rng)
        var wal: [Double] = [], probe: [Double] = []
        for round in 0..<rounds {
            // Alternate which goes first, so neither always follows the other's syncs.
            let walFirst = round % 2 == 0
            for side in walFirst ? [0, 1] : [1, 0] {
                if side == 0 {
                    wal.append(try RaftLogAppend.sample(.walFsync, batch, batches: appends, scratch: dir.url, label: "wal-\(round)") / Double(appends))
                } else {
                    probe.append(try RaftLogLimits.appendSyncNanoseconds(in: dir.url, bytes: batch.bytes.count, appends: appends, region: .fresh))
                }
            }
        }
        // Load only adds time, so the fastest sample of each side is the least
        // disturbed estimate of its cost. The WAL does the probe's work plus its
        // framing, so its floor is at or above the probe's; a shared machine moves
        // either side by tens of per cent, so the bound leaves room for that and
        // still catches a probe that pays a cost the WAL does not (the old probe's
        // fresh 4 KiB block per sync read 0.5 × here).
        let ratio = Summary(wal).min / Summary(probe).min
        #expect(ratio >= 0.75, "a WAL fsync append took \(ratio) × the probe's append + fdatasync at best: the limit is not a floor (WAL \(wal), probe \(probe) ns)")
    }
}
