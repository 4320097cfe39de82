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
/// This file holds the append path; opening and recovery are in
/// `SegmentedWAL+Recovery.swift`.
///
/// - Complexity: an append costs O(bytes) to encode and CRC plus one
///   `pwrite`; recovery reads every segment once, O(total bytes).
final class SegmentedWAL<Storage: SegmentStorage> {
    let storage: Storage
    let directory: String
    let segmentBytes: Int
    let syncing: Bool

    /// Sequence number and highest entry index of every live segment, oldest first.
    private(set) var segments: [(sequence: UInt64, maxIndex: UInt64)] = []
    private var current: Storage.File
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

    /// Used by `open` (SegmentedWAL+Recovery.swift) once the tail segment is known.
    init(storage: Storage, directory: String, segmentBytes: Int, syncing: Bool, current: Storage.File, writeOffset: Int, crc: UInt32, lastIndex: UInt64, lastTerm: UInt64, segments: [(UInt64, UInt64)]) {
        self.storage = storage
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
    var currentDescriptor: Int32 { current.descriptor }

    private func roll() throws {
        if syncing { try current.dataSync() }
        current.close()
        let sequence = (segments.last?.sequence ?? 0) + 1
        current = try Self.createSegment(storage: storage, directory: directory, sequence: sequence, bytes: segmentBytes, syncing: syncing)
        capacity = current.size
        writeOffset = 0
        segments.append((sequence: sequence, maxIndex: lastIndex))
        try writeHeader(sequence: sequence)
    }

    func writeHeader(sequence: UInt64) throws {
        var base = (lastIndex.littleEndian, lastTerm.littleEndian)
        withUnsafeBytes(of: &base) { payload in
            reserve(WALRecord.framedBytes(payload: 16))
            crc = WALRecord.encode(into: buffer.baseAddress! + buffered, kind: .segmentHeader, a: sequence, b: UInt64(crc), payload: payload, previousCRC: crc)
            buffered += WALRecord.framedBytes(payload: 16)
        }
        try flush()
    }

    static func createSegment(storage: Storage, directory: String, sequence: UInt64, bytes: Int, syncing: Bool) throws -> Storage.File {
        let file = try storage.open(directory + "/" + fileName(sequence), create: true)
        do {
            try file.preallocate(bytes)
            if syncing { try storage.syncDirectory(directory) }
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
            try storage.remove(directory + "/" + Self.fileName(segments[0].sequence))
            segments.removeFirst()
            removed += 1
        }
        if removed > 0, syncing { try storage.syncDirectory(directory) }
        return removed
    }
}
