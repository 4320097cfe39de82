/// CRC-32C (Castagnoli polynomial 0x1EDC6F41, reflected 0x82F63B78), the
/// checksum iSCSI (RFC 3720 §12.1, appendix B.4) and etcd's WAL use.
///
/// Software slicing-by-8: eight 256-entry tables, eight bytes per step.
/// `update` continues a running CRC, which is how the WAL chains one
/// record's checksum into the next (etcd `wal/encoder.go` seeds each record's
/// CRC with the previous one).
///
/// - Complexity: O(n) in the bytes hashed, about one table lookup per byte;
///   8 KiB of tables built once per process.
public enum CRC32C {
    @usableFromInline
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[i] = c
        }
        for i in 0..<256 {
            for k in 1..<8 {
                let prev = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (prev >> 8) ^ t[Int(prev & 0xFF)]
            }
        }
        return t
    }()

    /// The CRC-32C of `bytes`.
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0, bytes)
    }

    /// The CRC-32C of `bytes`.
    @inlinable
    public static func checksum<C: Collection<UInt8>>(_ bytes: C) -> UInt32 {
        var out: UInt32 = 0
        let done: Void? = bytes.withContiguousStorageIfAvailable { out = update(0, UnsafeRawBufferPointer($0)) }
        if done == nil { out = Array(bytes).withUnsafeBytes { update(0, $0) } }
        return out
    }

    /// Continues `crc` (a finished CRC-32C of earlier bytes) over `bytes`:
    /// `update(checksum(a), b) == checksum(a + b)`.
    @inlinable
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c = ~crc
        var n = bytes.count
        guard var p = bytes.baseAddress else { return crc }
        tables.withUnsafeBufferPointer { t in
            while n >= 8 {
                let word = p.loadUnaligned(as: UInt64.self).littleEndian
                let lo = UInt32(truncatingIfNeeded: word) ^ c
                let hi = UInt32(truncatingIfNeeded: word &>> 32)
                c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                p += 8
                n &-= 8
            }
            while n > 0 {
                c = (c >> 8) ^ t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)]
                p += 1
                n &-= 1
            }
        }
        return ~c
    }
}
