/// What the workload driver needs from a store: one session per client
/// thread, each with its own connections.
public protocol EngineSession: SendableMetatype {
    /// Writes `value` (unique per run); returns the store's order of the write when it has one
    /// (etcd's revision), else 0.
    mutating func write(key: UInt64, value: Int64) throws -> Int64
    /// The value read (nil: absent) and the order of the write that produced it when known (else 0).
    mutating func read(key: UInt64) throws -> (value: Int64?, order: Int64)
}

/// etcd: writes to one member; reads from it linearizable or serializable.
public struct EtcdSession: EngineSession {
    let client: EtcdClient
    let serializable: Bool

    public init(client: EtcdClient, serializable: Bool) {
        self.client = client
        self.serializable = serializable
    }

    public mutating func write(key: UInt64, value: Int64) throws -> Int64 { try client.put(key: key, value: value) }

    public mutating func read(key: UInt64) throws -> (value: Int64?, order: Int64) {
        let r = try client.get(key: key, serializable: serializable)
        return (r.value, r.modRevision)
    }
}

/// Redis: writes to the primary, then `WAIT replicas` when asked (a write
/// whose WAIT counts fewer replicas is indeterminate, not acknowledged);
/// reads from the primary or a replica.
public struct RedisSession: EngineSession {
    let writer: RedisClient
    let reader: RedisClient
    let waitReplicas: Int
    let waitTimeoutMilliseconds: Int

    public init(writer: RedisClient, reader: RedisClient, waitReplicas: Int = 0, waitTimeoutMilliseconds: Int = 1_000) {
        self.writer = writer
        self.reader = reader
        self.waitReplicas = waitReplicas
        self.waitTimeoutMilliseconds = waitTimeoutMilliseconds
    }

    public mutating func write(key: UInt64, value: Int64) throws -> Int64 {
        try writer.set(key: key, value: value)
        if waitReplicas > 0 {
            let acked = try writer.wait(replicas: waitReplicas, timeoutMilliseconds: waitTimeoutMilliseconds)
            if acked < waitReplicas { throw RequestError.indeterminate("WAIT \(waitReplicas): \(acked) replicas acknowledged") }
        }
        return 0
    }

    public mutating func read(key: UInt64) throws -> (value: Int64?, order: Int64) { (try reader.get(key: key), 0) }
}
