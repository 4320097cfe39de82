/// When an append to the WAL returns, relative to the disk.
public enum DurabilityPolicy: String, Sendable, CaseIterable {
    /// Return once the records are in the OS page cache: a process crash
    /// keeps them, a power loss may not.
    case none
    /// `fdatasync` before every append returns; concurrent appenders sync one after another.
    case fsync
    /// `fdatasync` before every append returns, but concurrent appenders
    /// share a sync: the first in line syncs everything written so far and
    /// the ones that wrote meanwhile are covered by it (group commit, as in
    /// database WALs and etcd's batched `Ready` handling).
    case group
}
