/// What opening a WAL found on disk.
public struct RecoveryReport: Sendable, Equatable, CustomStringConvertible {
    /// Where the valid log ends and why.
    public struct Damage: Sendable, Equatable {
        /// The segment file holding the first bad byte.
        public let segment: String
        /// Byte offset of the first bad record in that file.
        public let offset: Int
        public let kind: WALRecord.Damage
    }

    /// Segment files read (including a damaged one).
    public var segmentsScanned = 0
    /// Valid records replayed.
    public var records = 0
    /// Entries in the log after replay (after the snapshot index).
    public var entriesRecovered = 0
    /// Bytes of valid records.
    public var bytesReplayed = 0
    /// Non-zero bytes discarded after the first damaged record (rounded up
    /// to 8-byte frames), plus the size of any later segment files removed.
    public var bytesTruncated = 0
    /// Empty segment files (a crash while one was being created) removed.
    public var segmentsRemoved = 0
    /// nil when the log ended cleanly.
    public var damage: Damage?

    public init() {}

    public var description: String {
        var text = "\(segmentsScanned) segment(s), \(records) record(s), \(entriesRecovered) entries recovered"
        if let damage {
            text += "; truncated \(bytesTruncated) byte(s) at \(damage.segment) offset \(damage.offset): \(damage.kind.rawValue)"
        } else {
            text += "; clean end"
        }
        if segmentsRemoved > 0 { text += "; removed \(segmentsRemoved) empty segment(s)" }
        return text
    }
}
