/// A dotted version vector set (DVVSet): one compact clock for a key's whole
/// sibling set, as a Dynamo-style store keeps it (Preguiça, Baquero, Almeida,
/// Fonte & Gonçalves, "Dotted Version Vectors: Logical Clocks for Optimistic
/// Replication", arXiv:1011.5808, 2010; the compact set form is Riak's
/// `dvvset`, by Ricardo Tomé Gonçalves and Paulo Sérgio Almeida).
///
/// Each entry is (node, counter, values): the node's last event number and
/// the values it wrote that are still live, newest first, so the values hold
/// the dots `counter − values.count + 1 … counter`. Values written with a
/// causal context that no node has registered yet sit in ``anonymous``.
///
/// A server handles a write with ``update(with:by:)``: the client's context
/// discards exactly the values the client had seen, and values it had not
/// seen stay as siblings. ``synced(with:)`` merges two replicas' sets.
///
/// - Complexity: ``synced(with:)`` and ``isCausallyBefore(_:)`` O(n + m) in
///   the entries, plus the values kept; ``update(with:by:)`` likewise (the
///   initializer sorts only a list that is not sorted already, and the
///   lists they build are). The hot paths are `@inlinable`, so a store
///   that keeps `DVVSet<UInt64>` gets them specialised for its value type.
public struct DVVSet<Value: Hashable & Sendable>: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var node: NodeID
        public var counter: UInt64
        /// Live values written at this node, newest first.
        public var values: [Value]

        @inlinable
        public init(node: NodeID, counter: UInt64, values: [Value]) {
            self.node = node
            self.counter = counter
            self.values = values
        }
    }

    @usableFromInline var sortedEntries: [Entry]
    @usableFromInline var anonymousValues: [Value]

    /// Sorted by node.
    @inlinable public var entries: [Entry] { sortedEntries }
    /// Values whose dot has not been assigned by a node yet (a client's new write).
    @inlinable public var anonymous: [Value] { anonymousValues }

    /// A set with exactly these entries (sorted here) and anonymous values.
    @inlinable
    public init(entries: [Entry], anonymous: [Value]) {
        // The sets this type builds itself are sorted already: skip the sort (and its copy) then.
        var sorted = true
        var i = 1
        while i < entries.count {
            if entries[i &- 1].node > entries[i].node { sorted = false; break }
            i &+= 1
        }
        sortedEntries = sorted ? entries : entries.sorted { $0.node < $1.node }
        anonymousValues = anonymous
    }

    /// A client's new write with no causal context (`new/1`, `new_list/1`).
    @inlinable
    public init(values: [Value]) { self.init(entries: [], anonymous: values) }

    /// A client's new write carrying the context it read (`new/2`, `new_list/2`).
    @inlinable
    public init(context: [(node: NodeID, counter: UInt64)], values: [Value]) {
        self.init(entries: context.map { Entry(node: $0.node, counter: $0.counter, values: []) }, anonymous: values)
    }

    /// The causal context to hand to a client with the values it reads (`join/1`).
    @inlinable
    public var context: [(node: NodeID, counter: UInt64)] { entries.map { ($0.node, $0.counter) } }

    /// Every live value (anonymous first, then per entry newest first): the siblings a read returns.
    @inlinable
    public var values: [Value] { anonymous + entries.flatMap(\.values) }

    /// Number of live values.
    @inlinable
    public var size: Int { anonymous.count + entries.reduce(0) { $0 + $1.values.count } }

    /// The nodes with an entry.
    @inlinable
    public var ids: [NodeID] { entries.map(\.node) }

    /// Registers this client write (exactly one anonymous value) as a new
    /// event at `node` (`update/2`).
    @inlinable
    public func update(by node: NodeID) -> DVVSet {
        precondition(anonymous.count == 1, "update(by:) takes a client clock holding exactly one new value")
        return DVVSet(entries: DVVSet.event(entries, node, anonymous[0]), anonymous: [])
    }

    /// Registers this client write (exactly one anonymous value, with the
    /// client's context) at `node`, whose current set is `server`
    /// (`update/3`). The result is newer than both; values in `server` that
    /// the client had not seen survive as siblings.
    @inlinable
    public func update(with server: DVVSet, by node: NodeID) -> DVVSet {
        precondition(anonymous.count == 1, "update(with:by:) takes a client clock holding exactly one new value")
        let synced = DVVSet(entries: entries, anonymous: []).synced(with: server)
        return DVVSet(entries: DVVSet.event(synced.entries, node, anonymous[0]), anonymous: synced.anonymous)
    }

    @inlinable @usableFromInline
    static func event(_ entries: [Entry], _ node: NodeID, _ value: Value) -> [Entry] {
        var result = entries
        if let i = result.firstIndex(where: { $0.node >= node }) {
            if result[i].node == node {
                result[i].counter += 1
                result[i].values.insert(value, at: 0)
            } else {
                result.insert(Entry(node: node, counter: 1, values: [value]), at: i)
            }
        } else {
            result.append(Entry(node: node, counter: 1, values: [value]))
        }
        return result
    }

    /// Merges two replicas' sets, dropping values the other has causally
    /// overwritten (`sync/2`).
    @inlinable
    public func synced(with other: DVVSet) -> DVVSet {
        let anonymous: [Value]
        if isCausallyBefore(other) {
            anonymous = other.anonymous
        } else if other.isCausallyBefore(self) {
            anonymous = self.anonymous
        } else {
            var seen = Set<Value>()
            anonymous = (self.anonymous + other.anonymous).filter { seen.insert($0).inserted }
        }
        var merged: [Entry] = []
        merged.reserveCapacity(entries.count + other.entries.count)
        var i = 0, j = 0
        while i < entries.count || j < other.entries.count {
            if j == other.entries.count || (i < entries.count && entries[i].node < other.entries[j].node) {
                merged.append(entries[i]); i += 1
            } else if i == entries.count || other.entries[j].node < entries[i].node {
                merged.append(other.entries[j]); j += 1
            } else {
                merged.append(DVVSet.merge(entries[i], other.entries[j])); i += 1; j += 1
            }
        }
        return DVVSet(entries: merged, anonymous: anonymous)
    }

    /// Sync of a list of sets, left to right (`sync/1`); nil for an empty list.
    @inlinable
    public static func sync(_ sets: [DVVSet]) -> DVVSet? {
        guard var result = sets.first else { return nil }
        for set in sets.dropFirst() { result = result.synced(with: set) }
        return result
    }

    /// One node's entry from two replicas: the higher counter wins, and of
    /// its values only those whose dots the other side has not already seen
    /// overwritten are kept.
    @inlinable @usableFromInline
    static func merge(_ a: Entry, _ b: Entry) -> Entry {
        let (newer, older) = a.counter >= b.counter ? (a, b) : (b, a)
        // Dots newer.counter − newer.values.count + 1 … are live in `newer`;
        // `older` has seen every dot up to older.counter and keeps only its own live ones.
        let newerOldestLive = newer.counter - UInt64(newer.values.count)
        let olderOldestLive = older.counter - UInt64(older.values.count)
        if newerOldestLive >= olderOldestLive { return newer }
        let keep = Int(newer.counter - older.counter) + older.values.count
        return Entry(node: newer.node, counter: newer.counter, values: Array(newer.values.prefix(keep)))
    }

    /// True when every event of this set is in `other` and `other` has more
    /// (`less/2`): this set's values are outdated.
    @inlinable
    public func isCausallyBefore(_ other: DVVSet) -> Bool {
        // Walks `other` against `self`: `other` must cover each of self's entries.
        var i = 0, j = 0
        var strict = false
        let mine = entries, theirs = other.entries
        while true {
            if j == theirs.count && i == mine.count { return strict }
            if i == mine.count { return true }
            if j == theirs.count { return false }
            if theirs[j].node == mine[i].node {
                if theirs[j].counter < mine[i].counter { return false }
                if theirs[j].counter > mine[i].counter { strict = true }
                i += 1; j += 1
            } else if theirs[j].node < mine[i].node {
                strict = true; j += 1
            } else {
                return false
            }
        }
    }

    /// Equal causal histories, ignoring which values are held (`equal/2`):
    /// same nodes, counters and number of live values per entry.
    @inlinable
    public func causallyEqual(_ other: DVVSet) -> Bool {
        entries.count == other.entries.count && zip(entries, other.entries).allSatisfy {
            $0.node == $1.node && $0.counter == $1.counter && $0.values.count == $1.values.count
        }
    }

    /// Bytes of ``encode(into:valueBytes:)``'s output when value `v`
    /// encodes to `valueBytes(v)` bytes.
    public func encodedSize(valueBytes: (Value) -> Int) -> Int {
        func values(_ list: [Value]) -> Int {
            list.reduce(VarInt.size(UInt64(list.count))) { total, value in
                let length = valueBytes(value)
                return total + VarInt.size(UInt64(length)) + length
            }
        }
        var total = VarInt.size(UInt64(entries.count))
        var previous: UInt64 = 0
        for entry in entries {
            total += VarInt.size(UInt64(entry.node) - previous) + VarInt.size(entry.counter) + values(entry.values)
            previous = UInt64(entry.node)
        }
        return total + values(anonymous)
    }

    /// Appends the set's stable encoding: entry count; per entry the node-id
    /// delta, counter, value count and values; then the anonymous values.
    /// Integers are varints; each value is its length and the bytes
    /// `valueBytes` gives for it.
    public func encode(into buffer: inout [UInt8], valueBytes: (Value) -> [UInt8]) {
        func append(_ list: [Value]) {
            VarInt.append(UInt64(list.count), to: &buffer)
            for value in list {
                let bytes = valueBytes(value)
                VarInt.append(UInt64(bytes.count), to: &buffer)
                buffer.append(contentsOf: bytes)
            }
        }
        VarInt.append(UInt64(entries.count), to: &buffer)
        var previous: UInt64 = 0
        for entry in entries {
            VarInt.append(UInt64(entry.node) - previous, to: &buffer)
            VarInt.append(entry.counter, to: &buffer)
            append(entry.values)
            previous = UInt64(entry.node)
        }
        append(anonymous)
    }

    /// Decodes what ``encode(into:valueBytes:)`` wrote, turning each value's
    /// bytes back into a value with `value`; throws ``ClockDecodingError``
    /// (naming the field and byte offset) on malformed input.
    public init(decoding bytes: [UInt8], value: ([UInt8]) throws -> Value) throws {
        var reader = ByteReader(bytes)
        func list(_ field: String) throws -> [Value] {
            let count = try reader.count("\(field) value count")
            var result: [Value] = []
            for i in 0..<count {
                let length = try reader.count("length of \(field) value \(i)")
                result.append(try value(Array(bytes[reader.offset..<reader.offset + length])))
                reader.offset += length
            }
            return result
        }
        let count = try reader.count("entry count")
        var entries: [Entry] = []
        var previous: NodeID? = nil
        for i in 0..<count {
            let start = reader.offset
            let node = try reader.node(entry: i, after: previous)
            let counter = try reader.varint("counter of entry \(i)")
            let values = try list("entry \(i)")
            if UInt64(values.count) > counter {
                throw ClockDecodingError.outOfRange(field: "value count of entry \(i)", value: UInt64(values.count), offset: start)
            }
            entries.append(Entry(node: node, counter: counter, values: values))
            previous = node
        }
        let anonymous = try list("anonymous")
        try reader.finish()
        self.init(entries: entries, anonymous: anonymous)
    }
}
