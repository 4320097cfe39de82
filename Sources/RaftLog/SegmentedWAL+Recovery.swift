import Foundation

/// Opening a segmented WAL: every segment is read once, its records are
/// checked against the CRC chain and replayed into an `InMemoryLog`, and a
/// torn tail is cut off.
extension SegmentedWAL {
    /// Opens the WAL in `directory` (created if missing), replays it into a
    /// fresh `InMemoryLog`, truncates a damaged tail and reports what it found.
    ///
    /// Damage is tolerated only as a torn tail: in the last segment, with
    /// nothing valid after it (a crash can leave a torn write there). Damage
    /// in an earlier segment fails with `WALOpenError.corruptBeforeTail`;
    /// damage in the last segment followed by a record that still checks
    /// out (`WALRecord.firstValidRecord(after:)` — bit rot in synced data,
    /// not a torn write) fails with `WALOpenError.corruptBeforeValidRecords`:
    /// truncating would drop acknowledged records.
    static func open(directory: String, segmentBytes: Int, syncing: Bool, storage: Storage) throws -> (SegmentedWAL, InMemoryLog, RecoveryReport) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .compactMap { name -> (UInt64, String)? in
                guard name.count == 20, name.hasSuffix(".wal"), let seq = UInt64(name.prefix(16), radix: 16) else { return nil }
                return (seq, name)
            }
            .sorted { $0.0 < $1.0 }
        var log = InMemoryLog()
        var report = RecoveryReport()
        var live: [(UInt64, UInt64)] = []
        var crc: UInt32 = 0
        var tail: (file: Storage.File, offset: Int)?

        for (position, (sequence, name)) in names.enumerated() {
            let isLast = position == names.count - 1
            let file = try storage.open(directory + "/" + name, create: false)
            let bytes = try file.readAll()
            report.segmentsScanned += 1
            var damage: (offset: Int, kind: WALRecord.Damage)?
            var chainBeforeDamage: UInt32 = 0
            var offset = 0
            var maxIndex = log.lastIndex
            bytes.withUnsafeBytes { segment in
                // The header: its b field is the chain value it continues.
                guard segment.count >= 32, segment.loadUnaligned(fromByteOffset: 0, as: UInt32.self) != 0 else {
                    damage = (0, .badSegmentHeader)
                    return
                }
                let seed = UInt32(truncatingIfNeeded: UInt64(littleEndian: segment.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
                chainBeforeDamage = position == 0 ? seed : crc
                guard position == 0 || seed == crc,
                      case .success(let header)? = WALRecord.decode(segment, at: 0, previousCRC: seed),
                      header.kind == .segmentHeader, header.a == sequence, header.payload.count == 16
                else {
                    damage = (0, .badSegmentHeader)
                    return
                }
                if position == 0 {
                    let baseIndex = UInt64(littleEndian: header.payload.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
                    let baseTerm = UInt64(littleEndian: header.payload.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                    log.restore(snapshotIndex: baseIndex, snapshotTerm: baseTerm)
                    maxIndex = baseIndex
                }
                crc = header.crc
                offset = header.framedBytes
                report.records += 1
                report.bytesReplayed += header.framedBytes
                chainBeforeDamage = crc
                while let result = WALRecord.decode(segment, at: offset, previousCRC: crc) {
                    switch result {
                    case .failure(let kind):
                        damage = (offset, kind)
                        return
                    case .success(let record):
                        guard replay(record, into: &log) else {
                            damage = (offset, .badRecord)
                            return
                        }
                        if record.kind == .entry { maxIndex = record.b }
                        crc = record.crc
                        chainBeforeDamage = crc
                        offset += record.framedBytes
                        report.records += 1
                        report.bytesReplayed += record.framedBytes
                    }
                }
                // A clean end in the last segment: anything non-zero after it is a torn write.
                if isLast, nonZeroExtent(segment, from: offset) > offset { damage = (offset, .tornLength) }
            }
            if let damage {
                guard isLast else {
                    file.close()
                    throw WALOpenError.corruptBeforeTail(segment: name, offset: damage.offset, kind: damage.kind)
                }
                if let valid = bytes.withUnsafeBytes({ WALRecord.firstValidRecord($0, after: damage.offset, previousCRC: chainBeforeDamage) }) {
                    file.close()
                    throw WALOpenError.corruptBeforeValidRecords(segment: name, offset: damage.offset, kind: damage.kind, validRecordAt: valid)
                }
                let discarded = bytes.withUnsafeBytes { nonZeroExtent($0, from: damage.offset) } - damage.offset
                if damage.offset == 0 {
                    // A crash while the segment was being created: drop the file.
                    file.close()
                    try storage.remove(file.path)
                    if discarded > 0 {
                        report.damage = .init(segment: name, offset: 0, kind: damage.kind)
                        report.bytesTruncated += discarded
                    } else {
                        report.segmentsRemoved += 1
                    }
                    break
                }
                try file.zero(from: damage.offset)
                try file.dataSync()
                report.damage = .init(segment: name, offset: damage.offset, kind: damage.kind)
                report.bytesTruncated += discarded
            }
            live.append((sequence, maxIndex))
            tail?.file.close()
            tail = (file, offset)
        }
        report.entriesRecovered = log.count

        let wal: SegmentedWAL
        if let tail {
            wal = SegmentedWAL(storage: storage, directory: directory, segmentBytes: segmentBytes, syncing: syncing, current: tail.file, writeOffset: tail.offset, crc: crc, lastIndex: log.lastIndex, lastTerm: log.lastTerm, segments: live)
        } else {
            let sequence = names.first?.0 ?? 0
            let file = try createSegment(storage: storage, directory: directory, sequence: sequence, bytes: segmentBytes, syncing: syncing)
            wal = SegmentedWAL(storage: storage, directory: directory, segmentBytes: segmentBytes, syncing: syncing, current: file, writeOffset: 0, crc: 0, lastIndex: log.lastIndex, lastTerm: log.lastTerm, segments: [(sequence, log.lastIndex)])
            try wal.writeHeader(sequence: sequence)
            if syncing { try wal.sync() }
        }
        return (wal, log, report)
    }

    /// Applies one replayed record; false when it contradicts the log so far.
    private static func replay(_ record: WALRecord.Decoded, into log: inout InMemoryLog) -> Bool {
        switch record.kind {
        case .segmentHeader:
            return false
        case .entry:
            guard record.b == log.lastIndex + 1, record.a >= log.lastTerm else { return false }
            return (try? log.append(term: record.a, payload: record.payload)) != nil
        case .truncate:
            // Below the start of the first surviving segment: its own entries follow.
            if record.a < log.snapshotIndex {
                log.restore(snapshotIndex: record.a, snapshotTerm: 0)
                return true
            }
            return (try? log.truncate(after: record.a)) != nil
        case .commit:
            return (try? log.commit(to: min(record.a, log.lastIndex))) != nil
        case .compact:
            if record.a > log.lastIndex {
                log.restore(snapshotIndex: record.a, snapshotTerm: record.b)
                return true
            }
            if record.a <= log.snapshotIndex { return true }
            guard log.term(at: record.a) == record.b, (try? log.commit(to: record.a)) != nil else { return false }
            return (try? log.compact(upTo: record.a)) != nil
        }
    }

    /// One past the last non-zero byte at or after `offset`, rounded up to
    /// the 8-byte frame; `offset` when everything after it is zero.
    static func nonZeroExtent(_ segment: UnsafeRawBufferPointer, from offset: Int) -> Int {
        var end = segment.count
        // Eight bytes at a time while aligned: a 64 MiB zero tail is scanned in a few ms.
        while end > offset, end & 7 != 0, segment[end - 1] == 0 { end -= 1 }
        while end - 8 >= offset, end & 7 == 0, segment.loadUnaligned(fromByteOffset: end - 8, as: UInt64.self) == 0 { end -= 8 }
        while end > offset, segment[end - 1] == 0 { end -= 1 }
        return end <= offset ? offset : min(segment.count, (end + 7) & ~7)
    }
}

/// Opening a WAL failed because the damage is not a torn tail.
public enum WALOpenError: Error, Equatable, CustomStringConvertible {
    case corruptBeforeTail(segment: String, offset: Int, kind: WALRecord.Damage)
    /// Damage in the last segment with a valid record after it: not a torn
    /// tail (a torn write is the last thing written), so bit rot in
    /// synced records; truncating would drop the acknowledged records after it.
    case corruptBeforeValidRecords(segment: String, offset: Int, kind: WALRecord.Damage, validRecordAt: Int)
    /// A segment read back shorter than its size (`pread` hit end of file early).
    case shortRead(path: String, expected: Int, got: Int)

    public var description: String {
        switch self {
        case let .corruptBeforeTail(segment, offset, kind):
            return "WAL segment \(segment) is damaged at offset \(offset) (\(kind.rawValue)) and later segments follow it: acknowledged records would be lost, refusing to truncate"
        case let .corruptBeforeValidRecords(segment, offset, kind, valid):
            return "WAL segment \(segment) is damaged at offset \(offset) (\(kind.rawValue)) but a valid record follows at offset \(valid): not a torn tail, acknowledged records would be lost, refusing to truncate"
        case let .shortRead(path, expected, got):
            return "WAL segment \(path) read back \(got) of its \(expected) bytes (end of file before its size): refusing to recover from a partial read"
        }
    }
}
