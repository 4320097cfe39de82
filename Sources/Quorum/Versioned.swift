import Clocks

/// How a Dynamo-style store orders the versions of a key.
public enum Versioning: String, Sendable, CaseIterable {
    /// Last writer wins on the coordinator's (possibly skewed) clock: one
    /// value survives; a concurrent or clock-skewed write is silently dropped.
    case lww
    /// Dotted version vectors with siblings (DeCandia et al., SOSP 2007, §4.4;
    /// Preguiça et al., arXiv:1011.5808): a write discards only the values its
    /// client had seen (the causal context it sends); concurrent values stay
    /// as siblings for a later write to reconcile.
    case vectorClocks = "vector-clocks"
}

/// A key's state as a replica holds it, a message carries it and a client
/// sees it: one last-writer-wins ``Version``, or a sibling set ordered by a
/// dotted version vector set whose values are the writes' sequence numbers.
///
/// - Complexity: ``lww`` operations are O(1); ``siblings`` operations are
///   O(e + s) for e entries (at most one per coordinator) and s siblings.
public enum Versioned: Sendable, Equatable {
    case lww(Version)
    case siblings(DVVSet<UInt64>)

    /// The LWW version; nil for a sibling set (the ABD core stores only these).
    public var lwwVersion: Version? {
        if case .lww(let version) = self { return version }
        return nil
    }

    /// The write sequence numbers this state holds: one for LWW, every live sibling otherwise.
    public var sequences: [UInt64] {
        switch self {
        case .lww(let version): return [version.sequence]
        case .siblings(let set): return set.values
        }
    }

    /// How many values this state holds (1 for LWW), without building ``sequences``.
    public var valueCount: Int {
        switch self {
        case .lww: return 1
        case .siblings(let set): return set.size
        }
    }

    /// Both states together: the newer LWW version, or the DVVSet sync,
    /// which keeps every value neither side has seen overwritten.
    public func merged(with other: Versioned) -> Versioned {
        switch (self, other) {
        case (.lww(let a), .lww(let b)): return .lww(a < b ? b : a)
        case (.siblings(let a), .siblings(let b)): return .siblings(a.synced(with: b))
        default: preconditionFailure("a cluster uses one versioning scheme")
        }
    }

    /// True when this state reflects every write `other` reflects: for LWW,
    /// `other` is not newer; for siblings, this causal context covers
    /// `other`'s (each coordinator's counter at least as high). A state that
    /// reflects a write either holds it or holds a write that overwrote it
    /// knowing it.
    public func includes(_ other: Versioned) -> Bool {
        switch (self, other) {
        case (.lww(let a), .lww(let b)):
            return !(a < b)
        case (.siblings(let a), .siblings(let b)):
            // Both entry lists are sorted by node: a merge walk.
            var i = 0
            for entry in b.entries {
                while i < a.entries.count && a.entries[i].node < entry.node { i += 1 }
                guard i < a.entries.count, a.entries[i].node == entry.node, a.entries[i].counter >= entry.counter else { return false }
            }
            return true
        default:
            preconditionFailure("a cluster uses one versioning scheme")
        }
    }

    /// A new write's state. LWW: `timestamp` from the coordinator's clock.
    /// Siblings: the coordinator `node` registers the write as its next event
    /// over its own `local` state and the client's `context`, so the values
    /// the client had seen are discarded and all others survive (`update/3`
    /// of Riak's dvvset).
    static func newWrite(_ versioning: Versioning, sequence: UInt64, timestamp: Int64, node: NodeID,
                         local: Versioned?, context: Versioned?) -> Versioned {
        switch versioning {
        case .lww:
            return .lww(Version(timestamp: timestamp, coordinator: node, sequence: sequence))
        case .vectorClocks:
            var seen: [(node: Clocks.NodeID, counter: UInt64)] = []
            if case .siblings(let set)? = context { seen = set.context }
            var server = DVVSet<UInt64>(values: [])
            if case .siblings(let set)? = local { server = set }
            return .siblings(DVVSet(context: seen, values: [sequence]).update(with: server, by: Clocks.NodeID(node)))
        }
    }
}
