/// Whether real-engine experiments can run here: the server binaries, and root for namespaces.
public enum EngineAvailability {
    /// Why not (naming the Debian package and `make deps`), or nil when everything is present.
    public static func missing(needsNamespaces: Bool) -> String? {
        for (binary, package) in [("etcd", "etcd-server"), ("redis-server", "redis-server"), ("redis-sentinel", "redis-sentinel")]
        where SystemCommand.which(binary) == nil {
            return EngineError.missingBinary(binary, package: package).description
        }
        if needsNamespaces, let reason = HostNetwork.fallbackReason { return reason }
        return nil
    }
}
