/// The WARS latency model of a Dynamo-style quorum operation (Bailis et al.,
/// "Probabilistically Bounded Staleness for Practical Partial Quorums",
/// PVLDB 5(8), 2012, §5): four one-way delays per replica, each drawn
/// independently —
/// W (write request, coordinator → replica), A (write ack, replica →
/// coordinator), R (read request) and S (read response).
///
/// A two-datacenter model (the paper's WAN) adds `remoteDelayMs` to both legs
/// of every replica not local to the operation's coordinator; per operation
/// exactly one replica, chosen uniformly, is local.
public struct LatencyModel: Sendable, Equatable {
    public let name: String
    public let source: String
    public let write: LatencyDistribution
    public let writeAck: LatencyDistribution
    public let read: LatencyDistribution
    public let readResponse: LatencyDistribution
    /// Extra one-way delay to each non-local replica, or nil for one datacenter.
    public let remoteDelayMs: Double?

    public init(
        name: String, source: String = "", write: LatencyDistribution, writeAck: LatencyDistribution,
        read: LatencyDistribution, readResponse: LatencyDistribution, remoteDelayMs: Double? = nil
    ) {
        self.name = name
        self.source = source
        self.write = write
        self.writeAck = writeAck
        self.read = read
        self.readResponse = readResponse
        self.remoteDelayMs = remoteDelayMs
    }

    /// All four legs from one distribution (for tests and what-ifs).
    public static func symmetric(_ name: String, _ delay: LatencyDistribution, remoteDelayMs: Double? = nil) -> LatencyModel {
        LatencyModel(name: name, write: delay, writeAck: delay, read: delay, readResponse: delay, remoteDelayMs: remoteDelayMs)
    }
}
