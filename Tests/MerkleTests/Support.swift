import Merkle
import Stats

/// `count` items with distinct random keys and random versions.
func randomItems(_ count: Int, rng: inout Xoshiro256StarStar) -> [Item] {
    var seen = Set<UInt64>()
    var items: [Item] = []
    while items.count < count {
        let key = rng.next()
        if seen.insert(key).inserted { items.append(Item(key: key, version: rng.next())) }
    }
    return items
}

/// A copy of `items` in which `d` random keys differ: a third removed, a
/// third with a new version, a third new keys. Returns the changed keys.
func diverge(_ items: [Item], by d: Int, rng: inout Xoshiro256StarStar) -> (items: [Item], changed: Set<UInt64>) {
    var result = items
    var changed = Set<UInt64>()
    var removed = Set<Int>()
    while changed.count < d {
        switch changed.count % 3 {
        case 0:
            let i = Int(rng.next() % UInt64(result.count))
            if removed.contains(i) || changed.contains(result[i].key) { continue }
            removed.insert(i)
            changed.insert(result[i].key)
        case 1:
            let i = Int(rng.next() % UInt64(result.count))
            if removed.contains(i) || changed.contains(result[i].key) { continue }
            result[i].version &+= 1
            changed.insert(result[i].key)
        default:
            let key = rng.next()
            if changed.contains(key) { continue }
            result.append(Item(key: key, version: rng.next()))
            changed.insert(key)
        }
    }
    return (result.enumerated().filter { !removed.contains($0.offset) }.map(\.element), changed)
}
