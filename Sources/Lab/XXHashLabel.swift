import Hashing

/// Stable hashing of labels into seeds (Swift's `Hasher` is randomly seeded per process).
public enum XXHashLabel {
    public static func hash(_ label: String) -> UInt64 { XXHash64.hash(label, seed: 0x4341_504C_6162) }
}
