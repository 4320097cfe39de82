/// Telling a torn tail from bit rot: is there a valid record after the damage?
extension WALRecord {
    /// The offset of the first record after the damaged one at `offset` that
    /// still passes its chained CRC, or nil when none does (a torn tail: a
    /// crash leaves the torn write as the last thing in the segment).
    ///
    /// The chain seed of a record after the damage is unknown, so each
    /// 8-byte-aligned candidate is tried against the seeds it could have:
    /// the CRC stored in the damaged record's header (right when the flip
    /// is in its body or length), the CRC recomputed over its claimed body
    /// from `previousCRC` (right when the flip is in its stored CRC), and the
    /// CRC stored by any plausible record header ending exactly at the
    /// candidate (the record in between was intact). A chance match needs a
    /// 32-bit CRC and a valid kind to agree by accident.
    ///
    /// - Complexity: only runs on the damage path; one pass over the
    ///   non-zero rest of the segment, plus a CRC over each candidate whose
    ///   header is plausible (length in range, known kind).
    static func firstValidRecord(_ segment: UnsafeRawBufferPointer, after offset: Int, previousCRC: UInt32) -> Int? {
        let end = SegmentedWAL<PosixStorage>.nonZeroExtent(segment, from: offset)
        var seeds: [UInt32] = []
        if offset + headerBytes <= segment.count {
            seeds.append(UInt32(littleEndian: segment.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)))
            let length = Int(UInt32(littleEndian: segment.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            if length >= fixedBodyBytes, offset + headerBytes + length <= segment.count {
                seeds.append(CRC32C.update(previousCRC, UnsafeRawBufferPointer(rebasing: segment[(offset + headerBytes)..<(offset + headerBytes + length)])))
            }
        }
        var storedByEnd: [Int: UInt32] = [:]
        var candidate = (offset + 8) & ~7
        while candidate + headerBytes + fixedBodyBytes <= end {
            let length = Int(UInt32(littleEndian: segment.loadUnaligned(fromByteOffset: candidate, as: UInt32.self)))
            if length >= fixedBodyBytes, candidate + headerBytes + length <= segment.count,
               Kind(rawValue: UInt64(littleEndian: segment.loadUnaligned(fromByteOffset: candidate + headerBytes, as: UInt64.self))) != nil {
                var tried = seeds
                if let seed = storedByEnd[candidate] { tried.append(seed) }
                for seed in tried {
                    if case .success? = decode(segment, at: candidate, previousCRC: seed) { return candidate }
                }
                storedByEnd[candidate + framedBytes(payload: length - fixedBodyBytes)] =
                    UInt32(littleEndian: segment.loadUnaligned(fromByteOffset: candidate + 4, as: UInt32.self))
            }
            candidate += 8
        }
        return nil
    }
}
