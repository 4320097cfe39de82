/// The on-disk framing of one WAL record, 8-byte aligned:
///
/// ```
/// u32 length   bytes of the body (24 + payload), little-endian; 0 marks the end
/// u32 crc      CRC-32C of the body, seeded with the previous record's crc
/// body:  u64 kind · u64 a · u64 b · payload · zero padding to 8 bytes
/// ```
///
/// Chaining the CRC (as etcd's `wal/encoder.go` does) means a record is valid
/// only after the exact sequence of records before it, so a stale record
/// left behind in a reused or preallocated area never passes as current.
/// A preallocated segment is zero-filled, so a zero length word is the end
/// of the log; a torn write shows up as a length that runs past the segment
/// or a CRC that does not match.
public enum WALRecord {
    public static let headerBytes = 8
    public static let fixedBodyBytes = 24

    /// What a record means; `a` and `b` depend on the kind.
    public enum Kind: UInt64, Sendable {
        /// First record of every segment: a = segment sequence number,
        /// b = the CRC chain value it continues; payload = u64 last index,
        /// u64 last term of the log when the segment was created.
        case segmentHeader = 1
        /// a = term, b = index, payload = the entry's command.
        case entry = 2
        /// Drop every entry after a.
        case truncate = 3
        /// Entries up to a were committed.
        case commit = 4
        /// Entries up to a (whose term is b) were compacted.
        case compact = 5
    }

    /// Framed size of a record with `payload` bytes.
    @inlinable
    public static func framedBytes(payload: Int) -> Int {
        (headerBytes &+ fixedBodyBytes &+ payload &+ 7) & ~7
    }

    /// Writes one record at `p` (which has `framedBytes(payload:)` bytes of
    /// room) and returns its CRC, the seed of the next record.
    @inlinable
    public static func encode(
        into p: UnsafeMutableRawPointer, kind: Kind, a: UInt64, b: UInt64,
        payload: UnsafeRawBufferPointer, previousCRC: UInt32
    ) -> UInt32 {
        let bodyLength = fixedBodyBytes &+ payload.count
        let framed = framedBytes(payload: payload.count)
        p.storeBytes(of: kind.rawValue.littleEndian, toByteOffset: 8, as: UInt64.self)
        p.storeBytes(of: a.littleEndian, toByteOffset: 16, as: UInt64.self)
        p.storeBytes(of: b.littleEndian, toByteOffset: 24, as: UInt64.self)
        if let source = payload.baseAddress, payload.count > 0 {
            (p + 32).copyMemory(from: source, byteCount: payload.count)
        }
        let padding = framed &- headerBytes &- bodyLength
        if padding > 0 { (p + headerBytes + bodyLength).initializeMemory(as: UInt8.self, repeating: 0, count: padding) }
        let crc = CRC32C.update(previousCRC, UnsafeRawBufferPointer(start: p + 8, count: bodyLength))
        p.storeBytes(of: UInt32(bodyLength).littleEndian, toByteOffset: 0, as: UInt32.self)
        p.storeBytes(of: crc.littleEndian, toByteOffset: 4, as: UInt32.self)
        return crc
    }

    /// A record read back from a segment.
    public struct Decoded {
        public let kind: Kind
        public let a: UInt64
        public let b: UInt64
        public let payload: UnsafeRawBufferPointer
        public let crc: UInt32
        public let framedBytes: Int
    }

    /// Why the bytes at an offset are not a valid record.
    public enum Damage: String, Error, Sendable, Equatable {
        /// The length runs past the end of the segment or is too short to be a record.
        case tornLength = "torn-length"
        /// The CRC does not match the body and the chain before it.
        case checksumMismatch = "checksum-mismatch"
        /// The CRC matches but the kind or the index sequence is wrong.
        case badRecord = "bad-record"
        /// The segment does not start with a valid header record.
        case badSegmentHeader = "bad-segment-header"
    }

    /// Decodes the record at `offset`; nil at the end of the log (a zero length word).
    public static func decode(_ segment: UnsafeRawBufferPointer, at offset: Int, previousCRC: UInt32) -> Result<Decoded, Damage>? {
        guard offset + headerBytes <= segment.count else { return nil }
        let length = Int(UInt32(littleEndian: segment.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        if length == 0 { return nil }
        // The writer writes whole records, zero padding included: one whose padding the segment
        // cuts off is torn too (a fuzz finding: accepting it let the next offset pass the end).
        guard length >= fixedBodyBytes, length <= segment.count,
              offset + framedBytes(payload: length - fixedBodyBytes) <= segment.count else { return .failure(.tornLength) }
        let stored = UInt32(littleEndian: segment.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
        let body = UnsafeRawBufferPointer(rebasing: segment[(offset + headerBytes)..<(offset + headerBytes + length)])
        guard CRC32C.update(previousCRC, body) == stored else { return .failure(.checksumMismatch) }
        guard let kind = Kind(rawValue: UInt64(littleEndian: body.loadUnaligned(fromByteOffset: 0, as: UInt64.self))) else {
            return .failure(.badRecord)
        }
        return .success(Decoded(
            kind: kind,
            a: UInt64(littleEndian: body.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            b: UInt64(littleEndian: body.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            payload: UnsafeRawBufferPointer(rebasing: body[fixedBodyBytes...]),
            crc: stored,
            framedBytes: framedBytes(payload: length - fixedBodyBytes)))
    }
}
