/// The messages of the level-by-level Merkle diff between an initiator and
/// a responder replica, with their size on the wire.
///
/// Wire accounting (the same for every variant): an 8-byte header per
/// message (kind, level, count); digests as `Digest.byteCount` bytes each,
/// without node indices because both sides derive the frontier from the
/// previous answer; the mismatch answer as one bit per compared node; items
/// as 16 bytes (key, version).
public enum DiffMessage<Digest: MerkleDigest>: Sendable {
    /// Initiator → responder: its digests of the frontier at `level` (the
    /// root, then the children of every node that differed one level up).
    case digests(level: Int, ContiguousArray<Digest>)
    /// Responder → initiator: which of those nodes differ.
    case mismatches(level: Int, [Bool])
    /// Initiator → responder: its items in the differing leaf ranges.
    case items(ContiguousArray<Item>)
    /// Responder → initiator: its items in the same ranges.
    case responderItems(ContiguousArray<Item>)

    public static var headerBytes: Int { 8 }

    public var byteCount: Int {
        switch self {
        case .digests(_, let digests): Self.headerBytes + digests.count * Digest.byteCount
        case .mismatches(_, let bits): Self.headerBytes + (bits.count + 7) / 8
        case .items(let items), .responderItems(let items): Self.headerBytes + items.count * Item.byteCount
        }
    }
}
