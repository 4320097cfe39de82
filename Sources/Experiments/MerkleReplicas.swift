import Lab
import Merkle
import Stats

/// Replica contents for the Merkle experiments, drawn from a seeded stream.
enum MerkleReplicas {
    /// `count` items with distinct keys (64-bit random keys: a collision
    /// among 10^7 has probability ~3·10^−6, and is skipped) and random versions.
    static func items(_ count: Int, rng: inout Xoshiro256StarStar) -> [Item] {
        var seen = Set<UInt64>(minimumCapacity: count)
        var items: [Item] = []
        items.reserveCapacity(count)
        while items.count < count {
            let key = rng.next()
            if seen.insert(key).inserted { items.append(Item(key: key, version: rng.next())) }
        }
        return items
    }

    /// A change that turns replica A into replica B: (key, version in A, version in B).
    struct Change {
        let key: UInt64
        let old: UInt64?
        let new: UInt64?
    }

    /// Replica B = A with `d` keys changed: a third removed, a third given a
    /// new version, a third added (new keys). Returns B's items and the changes.
    static func diverge(_ a: [Item], by d: Int, rng: inout Xoshiro256StarStar) -> (items: [Item], changes: [Change]) {
        precondition(d <= a.count)
        var b = a
        var changes: [Change] = []
        changes.reserveCapacity(d)
        var touched = Set<Int>(minimumCapacity: d)
        var removed: [Int] = []
        while changes.count < d {
            let kind = changes.count % 3
            if kind == 2 {
                let key = rng.next()
                let version = rng.next()
                b.append(Item(key: key, version: version))
                changes.append(Change(key: key, old: nil, new: version))
                continue
            }
            let i = Int(rng.next() % UInt64(a.count))
            guard touched.insert(i).inserted else { continue }
            if kind == 0 {
                removed.append(i)
                changes.append(Change(key: a[i].key, old: a[i].version, new: nil))
            } else {
                b[i].version &+= 1
                changes.append(Change(key: a[i].key, old: a[i].version, new: b[i].version))
            }
        }
        for i in removed.sorted(by: >) { b.swapAt(i, b.count - 1); b.removeLast() }
        return (b, changes)
    }
}

extension MerkleReplicas {
    /// A measured protocol gave a wrong answer: the run stops rather than
    /// write numbers for a broken implementation.
    struct CheckFailed: Error, CustomStringConvertible {
        let message: String
        init(_ message: String) { self.message = message }
        var description: String { message }
    }
}
