import Stats

/// What one simulated run measured. Every field is a function of the seed
/// and the setup (byte-identical across runs), except ``wallSeconds``.
public struct SimulationResult: Sendable {
    public var reads = LatencyHistogram()
    public var writes = LatencyHistogram()
    public var readsIssued = 0
    public var writesIssued = 0
    public var readsFailed = 0
    public var writesFailed = 0
    /// Requests that arrived inside a partition window, and how many of them failed.
    public var issuedInPartition = 0
    public var failedInPartition = 0
    /// Successful reads that arrived inside a partition window, and how many of them were stale.
    public var readsInPartition = 0
    public var staleReadsInPartition = 0
    /// Successful reads that missed the newest write completed before the read began.
    public var staleReads = 0
    /// Sum over successful reads of how many completed writes newer than the returned version existed.
    public var versionsBehindTotal = 0
    public var versionsBehindMax = 0
    /// Successful reads that found the key; the values they returned (1 per read with LWW; every
    /// sibling with vector clocks), the most any read returned, and reads that returned more than one.
    public var readsFound = 0
    public var siblingsReturned = 0
    public var siblingsMax = 0
    public var readsWithSiblings = 0
    /// Completed writes the cluster dropped unseen (``ConsistencyJudge/lostWrites(final:contexts:)``).
    public var lostWrites = 0
    public var monotonicReadViolations = 0
    public var readYourWritesViolations = 0
    public var messages = 0
    public var events = 0
    /// Every operation as the client saw it, in completion order, when the
    /// simulator was asked to record them (`QuorumSimulation.Setup.recordsHistory`);
    /// `records.history` is the register history the linearizability checker reads.
    public var records: [OperationRecord] = []
    /// Every change of a replica's state for a written key, in time order,
    /// when the simulator was asked to record them (`QuorumSimulation.Setup.recordsApplies`).
    public var applies: [ReplicaApply] = []
    public var virtualNanoseconds: Int64 = 0
    /// Successful reads by age of the newest completed write (ms bins: <0.1, <1, <10, <100, ≥100): (reads, consistent).
    public var byAge: [(reads: Int, consistent: Int)] = Array(repeating: (0, 0), count: SimulationResult.ageBinsMs.count + 1)
    public var wallSeconds = 0.0

    public static let ageBinsMs: [Double] = [0.1, 1, 10, 100]

    /// An empty result, for runtimes that fill one in (the threaded runtime).
    public init() {}

    public var successfulReads: Int { readsIssued - readsFailed }
    public var staleFraction: Double { successfulReads > 0 ? Double(staleReads) / Double(successfulReads) : 0 }
    public var failedFraction: Double {
        let total = readsIssued + writesIssued
        return total > 0 ? Double(readsFailed + writesFailed) / Double(total) : 0
    }
    public var staleFractionInPartition: Double {
        readsInPartition > 0 ? Double(staleReadsInPartition) / Double(readsInPartition) : 0
    }
    public var failedFractionInPartition: Double {
        issuedInPartition > 0 ? Double(failedInPartition) / Double(issuedInPartition) : 0
    }
    /// Values per successful read that found the key (1 with LWW).
    public var siblingsPerRead: Double { readsFound > 0 ? Double(siblingsReturned) / Double(readsFound) : 0 }
    /// Reads that returned more than one value, per successful read that found the key.
    public var siblingReadFraction: Double { readsFound > 0 ? Double(readsWithSiblings) / Double(readsFound) : 0 }
    /// Lost writes per completed write.
    public var lostWriteFraction: Double {
        let completed = writesIssued - writesFailed
        return completed > 0 ? Double(lostWrites) / Double(completed) : 0
    }
    public var messagesPerOperation: Double {
        let total = readsIssued + writesIssued
        return total > 0 ? Double(messages) / Double(total) : 0
    }
    public var eventsPerSecond: Double { wallSeconds > 0 ? Double(events) / wallSeconds : 0 }
}

extension SimulationResult {
    /// Every deterministic measurement as one CSV header and row (no wall-clock field).
    public var deterministicCSV: String {
        let fields: [(String, String)] = [
            ("reads", String(readsIssued)), ("writes", String(writesIssued)),
            ("reads_failed", String(readsFailed)), ("writes_failed", String(writesFailed)),
            ("issued_in_partition", String(issuedInPartition)), ("failed_in_partition", String(failedInPartition)),
            ("stale_reads", String(staleReads)), ("versions_behind_total", String(versionsBehindTotal)),
            ("versions_behind_max", String(versionsBehindMax)),
            ("reads_found", String(readsFound)), ("siblings_returned", String(siblingsReturned)), ("siblings_max", String(siblingsMax)),
            ("reads_with_siblings", String(readsWithSiblings)), ("lost_writes", String(lostWrites)),
            ("monotonic_read_violations", String(monotonicReadViolations)), ("read_your_writes_violations", String(readYourWritesViolations)),
            ("messages", String(messages)), ("events", String(events)), ("virtual_ns", String(virtualNanoseconds)),
            ("read_p50_ns", String(reads.value(atPercentile: 50))), ("read_p99_ns", String(reads.value(atPercentile: 99))),
            ("read_max_ns", String(reads.count > 0 ? reads.max : 0)),
            ("write_p50_ns", String(writes.value(atPercentile: 50))), ("write_p99_ns", String(writes.value(atPercentile: 99))),
            ("write_max_ns", String(writes.count > 0 ? writes.max : 0)),
        ]
        return fields.map(\.0).joined(separator: ",") + "\n" + fields.map(\.1).joined(separator: ",") + "\n"
    }
}
