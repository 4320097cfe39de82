/// The two zone conditions of Gibbons & Korach ("Testing shared memories",
/// SIAM J. Comput. 1997), as Golab, Li & Shah state them (PODC 2011, §4):
/// a register history with a read mapping is linearizable iff no two
/// forward zones overlap and no backward zone lies inside a forward zone.
/// Shared by ``RegisterZones`` (the verdict, on history positions) and
/// ``DeltaAtomicity`` (the same test on reads' start times shifted by Δ).
///
/// A zone is [low, high] over any totally ordered stamps; `tag` names its
/// cluster for the caller. Stamps must be distinct between a cluster's
/// completions and other clusters' invocations (positions are; time stamps
/// carry a tie-breaker).
enum ZoneRules {
    struct Zone<Stamp: Comparable> {
        let low: Stamp
        let high: Stamp
        let tag: Int
    }

    /// The first conflict found — two forward zones that overlap, or a
    /// forward zone and a backward zone inside it, as (forward, other) —
    /// or nil when the zones satisfy both conditions.
    /// `forward` is sorted in place by `low` (a pass, when already sorted).
    /// - Complexity: O(F log F + B log F) for F forward and B backward
    ///   zones; O(F + B log F) when `forward` comes sorted.
    static func firstConflict<Stamp: Comparable>(forward: inout [Zone<Stamp>], backward: [Zone<Stamp>]) -> (Zone<Stamp>, Zone<Stamp>)? {
        if forward.indices.dropFirst().contains(where: { forward[$0].low < forward[$0 - 1].low }) {
            forward.sort { $0.low < $1.low }
        }
        for i in forward.indices.dropFirst() where forward[i].low < forward[i - 1].high {
            return (forward[i - 1], forward[i])
        }
        // Forward zones are now disjoint and sorted: the one that could hold a
        // backward zone is the last starting before it.
        for zone in backward {
            var lo = 0, hi = forward.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if forward[mid].low < zone.low { lo = mid + 1 } else { hi = mid }
            }
            if lo > 0 && zone.high < forward[lo - 1].high {
                return (forward[lo - 1], zone)
            }
        }
        return nil
    }
}
