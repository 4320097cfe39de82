import Foundation

/// A write-ahead log split into preallocated segment files
/// `<16 hex digits>.wal`, records framed by `WALRecord` with a CRC-32C
/// chained across records and segments (the layout of etcd's `wal`
/// package, written from its description, not its code).
///
/// Not thread-safe: `DurableLog` serialises access. Records are encoded
/// into one reusable buffer and written with one `pwrite` per segment
/// touched; `sync()` is one `fdatasync`. A segment that fills up is synced
/// (unless the policy is `none`) and closed, and the next one is created,
/// preallocated, given a header record and, with a durable policy, made
/// durable in the directory.
///
/// - Complexity: an append costs O(bytes) to encode and CRC plus one
///   `pwrite`; recovery reads every segment once, O(total bytes).
final class SegmentedWAL {
    let directory: String
    let segmentBytes: Int
    let syncing: Bool

    /// Sequence number and highest entry index of every live segment, oldest first.
    private(set) var segments: [(sequence: UInt64, maxIndex: UInt64)] = []
    private var current: SegmentFile
    private var capacity: Int
    private(set) var writeOffset: Int
    private var crc: UInt32
    /// Index and term of the log's last entry after the records encoded so far.
    private var lastIndex: UInt64
    private var lastTerm: UInt64

    private var buffer: UnsafeMutableRawBufferPointer
    private var buffered = 0

    static func fileName(_ sequence: UInt64) -> String {
        let hex = String(sequence, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + ".wal"
    }

    private init(directory: String, segmentBytes: Int, syncing: Bool, current: SegmentFile, writeOffset: Int, crc: UInt32, lastIndex: UInt64, lastTerm: UInt64, segments: [(UInt64, UInt64)]) {
        self.directory = directory
        self.segmentBytes = segmentBytes
        self.syncing = syncing
        self.current = current
        self.capacity = current.size
        self.writeOffset = writeOffset
        self.crc = crc
        self.lastIndex = lastIndex
        self.lastTerm = lastTerm
        self.segments = segments.map { (sequence: $0.0, maxIndex: $0.1) }
        self.buffer = .allocate(byteCount: 1 << 16, alignment: 8)
    }

    deinit {
        buffer.deallocate()
        current.close()
    }

    var currentPath: String { current.path }

    /// Largest entry payload a segment of `segmentBytes` can hold.
    static func maxPayload(segmentBytes: Int) -> Int {
        segmentBytes - WALRecord.framedBytes(payload: 16) - WALRecord.framedBytes(payload: 0)
    }

    // MARK: Writing

    private func reserve(_ bytes: Int) {
        guard buffered + bytes > buffer.count else { return }
        var size = buffer.count
        while size < buffered + bytes { size *= 2 }
        let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
        bigger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<buffered]))
        buffer.deallocate()
        buffer = bigger
    }

    /// Encodes one record, moving to a new segment first if it does not fit.
    private func encode(_ kind: WALRecord.Kind, _ a: UInt64, _ b: UInt64, _ payload: UnsafeRawBufferPointer) throws {
        let framed = WALRecord.framedBytes(payload: payload.count)
        if writeOffset + buffered + framed > capacity {
            guard payload.count <= Self.maxPayload(segmentBytes: segmentBytes) else {
                throw RaftLogError.entryTooLarge(bytes: payload.count, segmentBytes: segmentBytes)
            }
            try flush()
            try roll()
        }
        reserve(framed)
        crc = WALRecord.encode(into: buffer.baseAddress! + buffered, kind: kind, a: a, b: b, payload: payload, previousCRC: crc)
        buffered += framed
    }

    /// Whether `bytes` more framed bytes fit in the current segment (no roll).
    func fits(_ bytes: Int) -> Bool { writeOffset + buffered + bytes <= capacity }

    /// Writes the buffered records to the current segment.
    func flush() throws {
        guard buffered > 0 else { return }
        try current.write(UnsafeRawBufferPointer(rebasing: buffer[0..<buffered]), at: writeOffset)
        writeOffset += buffered
        buffered = 0
    }

    func appendEntries(_ batch: EntryBatch, firstIndex: UInt64) throws {
        try batch.bytes.withUnsafeBytes { bytes in
            var index = firstIndex
            for i in 0..<batch.count {
                let term = batch.terms[i]
                try encode(.entry, term, index, UnsafeRawBufferPointer(rebasing: bytes[batch.payloadRange(i)]))
                lastIndex = index
                lastTerm = term
                segments[segments.count - 1].maxIndex = index
                index &+= 1
            }
        }
        try flush()
    }

    func appendTruncate(after index: UInt64, term: UInt64) throws {
        try encode(.truncate, index, 0, UnsafeRawBufferPointer(start: nil, count: 0))
        lastIndex = index
        lastTerm = term
        try flush()
    }

    func appendCommit(_ index: UInt64) throws {
        try encode(.commit, index, 0, UnsafeRawBufferPointer(start: nil, count: 0))
        try flush()
    }

    func appendCompact(_ index: UInt64, term: UInt64) throws {
        try encode(.compact, index, term, UnsafeRawBufferPointer(start: nil, count: 0))
        try flush()
    }

    func sync() throws { try current.dataSync() }

    /// The file descriptor a group-commit leader syncs outside the lock.
    var currentDescriptor: Int32 { current.fd }

    private func roll() throws {
        if syncing { try current.dataSync() }
        current.close()
        let sequence = (segments.last?.sequence ?? 0) + 1
        current = try Self.createSegment(directory: directory, sequence: sequence, bytes: segmentBytes, syncing: syncing)
        capacity = current.size
        writeOffset = 0
        segments.append((sequence: sequence, maxIndex: lastIndex))
        try writeHeader(sequence: sequence)
    }

    private func writeHeader(sequence: UInt64) throws {
        var base = (lastIndex.littleEndian, lastTerm.littleEndian)
        withUnsafeBytes(of: &base) { payload in
            reserve(WALRecord.framedBytes(payload: 16))
            crc = WALRecord.encode(into: buffer.baseAddress! + buffered, kind: .segmentHeader, a: sequence, b: UInt64(crc), payload: payload, previousCRC: crc)
            buffered += WALRecord.framedBytes(payload: 16)
        }
        try flush()
    }

    private static func createSegment(directory: String, sequence: UInt64, bytes: Int, syncing: Bool) throws -> SegmentFile {
        let file = try SegmentFile.open(directory + "/" + fileName(sequence), create: true)
        do {
            try file.preallocate(bytes)
            if syncing { try SegmentFile.syncDirectory(directory) }
        } catch {
            file.close()
            throw error
        }
        return file
    }

    /// Removes the oldest segments whose entries are all at or below
    /// `snapshotIndex`; never the current one. Returns how many went.
    func removeSegments(upTo snapshotIndex: UInt64) throws -> Int {
        var removed = 0
        while segments.count > 1, segments[0].maxIndex <= snapshotIndex {
            try SegmentFile.remove(directory + "/" + Self.fileName(segments[0].sequence))
            segments.removeFirst()
            removed += 1
        }
        if removed > 0, syncing { try SegmentFile.syncDirectory(directory) }
        return removed
    }

    // MARK: Opening and recovery

    /// Opens the WAL in `directory` (created if missing), replays it into a
    /// fresh `InMemoryLog`, truncates a damaged tail and reports what it found.
    ///
    /// Damage is tolerated only in the last segment, where a crash can leave
    /// a torn write; damage in an earlier segment means acknowledged records
    /// were lost, and opening fails with `WALOpenError.corruptBeforeTail`.
    static func open(directory: String, segmentBytes: Int, syncing: Bool) throws -> (SegmentedWAL, InMemoryLog, RecoveryReport) {
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
        var tail: (file: SegmentFile, offset: Int)?

        for (position, (sequence, name)) in names.enumerated() {
            let isLast = position == names.count - 1
            let file = try SegmentFile.open(directory + "/" + name, create: false)
            let bytes = try file.readAll()
            report.segmentsScanned += 1
            var damage: (offset: Int, kind: WALRecord.Damage)?
            var offset = 0
            var maxIndex = log.lastIndex
            bytes.withUnsafeBytes { segment in
                // The header: its b field is the chain value it continues.
                guard segment.count >= 32, segment.loadUnaligned(fromByteOffset: 0, as: UInt32.self) != 0 else {
                    damage = (0, .badSegmentHeader)
                    return
                }
                let seed = UInt32(truncatingIfNeeded: UInt64(littleEndian: segment.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
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
                let discarded = bytes.withUnsafeBytes { nonZeroExtent($0, from: damage.offset) } - damage.offset
                if damage.offset == 0 {
                    // A crash while the segment was being created: drop the file.
                    file.close()
                    try SegmentFile.remove(file.path)
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
            wal = SegmentedWAL(directory: directory, segmentBytes: segmentBytes, syncing: syncing, current: tail.file, writeOffset: tail.offset, crc: crc, lastIndex: log.lastIndex, lastTerm: log.lastTerm, segments: live)
        } else {
            let sequence = names.first?.0 ?? 0
            let file = try createSegment(directory: directory, sequence: sequence, bytes: segmentBytes, syncing: syncing)
            wal = SegmentedWAL(directory: directory, segmentBytes: segmentBytes, syncing: syncing, current: file, writeOffset: 0, crc: 0, lastIndex: log.lastIndex, lastTerm: log.lastTerm, segments: [(sequence, log.lastIndex)])
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

    public var description: String {
        switch self {
        case let .corruptBeforeTail(segment, offset, kind):
            return "WAL segment \(segment) is damaged at offset \(offset) (\(kind.rawValue)) and later segments follow it: acknowledged records would be lost, refusing to truncate"
        }
    }
}
