/// A 128-bit Zobrist fingerprint of a set of operations (Zobrist, "A new
/// hashing method with application for game playing", 1970): the XOR of two
/// pseudo-random words per member, so adding or removing a member is one
/// XOR and never touches the rest of the set.
///
/// Operation i's words are SplitMix64 (Steele, Lea & Flood, OOPSLA 2014)
/// outputs at counters derived from i, so they cost no memory and are the
/// same on every run.
struct Fingerprint: Equatable {
    var low: UInt64 = 0
    var high: UInt64 = 0

    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The set with operation `i` added if absent, removed if present.
    @inline(__always) func toggling(_ i: Int) -> Fingerprint {
        let counter = UInt64(truncatingIfNeeded: i) &* 4
        return Fingerprint(low: low ^ Self.mix(counter), high: high ^ Self.mix(counter &+ 1))
    }

    /// This set paired with register value `state` (words at odd counters, disjoint from the operations').
    @inline(__always) func with(state: Int32) -> Fingerprint {
        let counter = UInt64(truncatingIfNeeded: Int(state)) &* 4 &+ 2
        return Fingerprint(low: low ^ Self.mix(counter), high: high ^ Self.mix(counter &+ 1))
    }
}

/// The configurations (linearized set, register value) a search has
/// explored, each stored as its 16-byte ``Fingerprint`` in an open-addressing
/// table, within a byte bound.
///
/// Two different configurations share a fingerprint with probability 2⁻¹²⁸
/// (the XOR over their symmetric difference is a uniform word pair), so for
/// N stored configurations the chance that any two collide is below
/// N²/2¹²⁹: under 10⁻²² for 10⁸ entries. A collision could only prune a
/// branch; this is the fingerprinting model checkers use (TLC: Yu,
/// Manolios & Lamport, CHARME 1999).
///
/// When the table reaches its bound it stops storing: `insert` then answers
/// "new" for any configuration it does not hold, so the search stays exact
/// and may explore a configuration twice; its step budget bounds the time.
///
/// - Complexity: O(1) expected per insert; 16 bytes per slot, at most 3/4 full.
struct ConfigurationMemo {
    private var slots: [UInt64]
    private var mask: Int
    private(set) var count = 0
    private let maxSlots: Int
    private(set) var isFull = false

    init(maxBytes: Int) {
        var cap = 1 << 10
        while cap * 2 * 16 <= maxBytes && cap < 1 << 40 { cap *= 2 }
        maxSlots = max(cap, 1 << 4)
        let initial = min(1 << 10, maxSlots)
        slots = [UInt64](repeating: 0, count: 2 * initial)
        mask = initial - 1
    }

    /// Bytes held by the table.
    var bytes: Int { slots.count * 8 }

    /// Stores `f`; false when it was already stored.
    @inline(__always) mutating func insert(_ f: Fingerprint) -> Bool {
        // The all-zero pair marks an empty slot: a fingerprint gives up one bit to never be it.
        let low = f.low | 1
        var i = Int(truncatingIfNeeded: f.high) & mask
        while true {
            let s = slots[2 * i]
            if s == 0 { break }
            if s == low && slots[2 * i + 1] == f.high { return false }
            i = (i + 1) & mask
        }
        let capacity = mask + 1
        if (count + 1) * 4 > capacity * 3 {
            if capacity * 2 > maxSlots {
                isFull = true
                return true
            }
            grow()
            return insert(f)
        }
        slots[2 * i] = low
        slots[2 * i + 1] = f.high
        count += 1
        return true
    }

    private mutating func grow() {
        let old = slots
        let capacity = 2 * (mask + 1)
        slots = [UInt64](repeating: 0, count: 2 * capacity)
        mask = capacity - 1
        var j = 0
        while j < old.count {
            if old[j] != 0 {
                var i = Int(truncatingIfNeeded: old[j + 1]) & mask
                while slots[2 * i] != 0 { i = (i + 1) & mask }
                slots[2 * i] = old[j]
                slots[2 * i + 1] = old[j + 1]
            }
            j += 2
        }
    }
}
