/// The wire format shared by the clock variants: unsigned LEB128 varints
/// (as in Protocol Buffers and DWARF), so a counter below 128 costs one byte
/// and a 64-bit counter at most ten.

/// Why bytes could not be decoded as a clock: names the field and the byte
/// offset where decoding stopped.
public enum ClockDecodingError: Error, Equatable, CustomStringConvertible {
    /// The input ended inside `field`.
    case truncated(field: String, offset: Int)
    /// A varint for `field` ran past 64 bits.
    case overlong(field: String, offset: Int)
    /// Node ids must be strictly increasing; `node` at `offset` was not.
    case unsortedNode(node: UInt64, offset: Int)
    /// A node id or count does not fit its type.
    case outOfRange(field: String, value: UInt64, offset: Int)
    /// Bytes were left after the clock ended.
    case trailingBytes(offset: Int, count: Int)

    public var description: String {
        switch self {
        case .truncated(let field, let offset):
            return "clock encoding ends inside \(field) at byte \(offset)"
        case .overlong(let field, let offset):
            return "varint for \(field) at byte \(offset) is longer than 10 bytes (expected a 64-bit value)"
        case .unsortedNode(let node, let offset):
            return "node id \(node) at byte \(offset) is not greater than the previous one (expected strictly increasing ids)"
        case .outOfRange(let field, let value, let offset):
            return "\(field) \(value) at byte \(offset) is out of range"
        case .trailingBytes(let offset, let count):
            return "\(count) unexpected bytes after the clock at byte \(offset)"
        }
    }
}

/// Unsigned LEB128.
@usableFromInline
enum VarInt {
    /// Bytes `value` takes.
    @inlinable
    static func size(_ value: UInt64) -> Int {
        // 1 byte per started group of 7 bits; 0 takes one byte.
        let bits = 64 &- (value | 1).leadingZeroBitCount
        return (bits &+ 6) / 7
    }

    @inlinable
    static func append(_ value: UInt64, to buffer: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        buffer.append(UInt8(v))
    }
}

/// A cursor over encoded bytes that reports where it failed.
struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func varint(_ field: String) throws -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw ClockDecodingError.truncated(field: field, offset: start) }
            let byte = bytes[offset]
            offset += 1
            if shift == 63 && byte > 1 { throw ClockDecodingError.overlong(field: field, offset: start) }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { throw ClockDecodingError.overlong(field: field, offset: start) }
        }
    }

    mutating func nodeID(_ field: String) throws -> NodeID {
        let start = offset
        let value = try varint(field)
        guard value <= UInt64(NodeID.max) else { throw ClockDecodingError.outOfRange(field: field, value: value, offset: start) }
        return NodeID(value)
    }

    /// A count of items that each take at least one byte: larger than the
    /// remaining input means the input is corrupt, not that memory should be reserved.
    mutating func count(_ field: String) throws -> Int {
        let start = offset
        let value = try varint(field)
        guard value <= UInt64(bytes.count - offset) else {
            throw ClockDecodingError.outOfRange(field: field, value: value, offset: start)
        }
        return Int(value)
    }

    /// The node id of entry `i`, stored as a delta from the previous entry's
    /// (`nil` for the first): ids must fit ``NodeID`` and strictly increase.
    mutating func node(entry i: Int, after previous: NodeID?) throws -> NodeID {
        let start = offset
        let delta = try varint("node delta of entry \(i)")
        let (node, overflow) = UInt64(previous ?? 0).addingReportingOverflow(delta)
        if overflow || node > UInt64(NodeID.max) {
            throw ClockDecodingError.outOfRange(field: "node id of entry \(i)", value: delta, offset: start)
        }
        if previous != nil && delta == 0 { throw ClockDecodingError.unsortedNode(node: node, offset: start) }
        return NodeID(node)
    }

    func finish() throws {
        if offset != bytes.count { throw ClockDecodingError.trailingBytes(offset: offset, count: bytes.count - offset) }
    }
}

/// The sorted-pairs encoding used by ``SparseClock`` and ``DictionaryClock``:
/// `count`, then per entry the node id as a delta from the previous one and
/// the counter, all varints.
enum PairEncoding {
    static func size(_ entries: some Sequence<(node: NodeID, counter: UInt64)>) -> Int {
        var total = 0
        var count: UInt64 = 0
        var previous: UInt64 = 0
        for (node, counter) in entries {
            total += VarInt.size(UInt64(node) - previous) + VarInt.size(counter)
            previous = UInt64(node)
            count += 1
        }
        return total + VarInt.size(count)
    }

    static func encode(_ entries: some Collection<(node: NodeID, counter: UInt64)>, into buffer: inout [UInt8]) {
        VarInt.append(UInt64(entries.count), to: &buffer)
        var previous: UInt64 = 0
        for (node, counter) in entries {
            VarInt.append(UInt64(node) - previous, to: &buffer)
            VarInt.append(counter, to: &buffer)
            previous = UInt64(node)
        }
    }

    static func decode(_ bytes: [UInt8]) throws -> [(node: NodeID, counter: UInt64)] {
        var reader = ByteReader(bytes)
        let count = try reader.count("entry count")
        var entries: [(node: NodeID, counter: UInt64)] = []
        entries.reserveCapacity(count)
        var previous: NodeID? = nil
        for i in 0..<count {
            let start = reader.offset
            let node = try reader.node(entry: i, after: previous)
            let counter = try reader.varint("counter of entry \(i)")
            if counter == 0 { throw ClockDecodingError.outOfRange(field: "counter of entry \(i)", value: 0, offset: start) }
            entries.append((node, counter))
            previous = node
        }
        try reader.finish()
        return entries
    }
}
