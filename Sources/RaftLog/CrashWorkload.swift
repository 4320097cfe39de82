/// The workload of the WAL crash harnesses (`raftlog-crash-writer`,
/// `caplab raftlog-crash`): entry `index` carries a payload computed from
/// the index alone, 8 to 64 bytes, so a checker can tell an intact entry
/// from a torn or misplaced one byte for byte without keeping a copy.
public enum CrashWorkload {
    public static func payload(_ index: UInt64) -> [UInt8] {
        (0..<(8 + Int(index % 57))).map { UInt8(truncatingIfNeeded: index &* 31 &+ UInt64($0) &* 7 &+ 1) }
    }
}
