import Consistency
import Quorum
import RuntimeSupport
import Stats

/// What a threaded run measured: the simulator's result fields (so both
/// runtimes write the same CSV columns), the delivery-time error of the
/// message timer, and every operation as a record for the history.
public struct ThreadedResult: Sendable {
    /// Latencies (from intended starts), counts, staleness and session checks, messages.
    /// `events` counts protocol steps; `virtualNanoseconds` is the run's wall time.
    public var simulation = SimulationResult()
    /// Actual minus intended delivery time of every message, ns.
    public var deliveryError = LatencyHistogram()
    public var records: [OperationRecord] = []
    public var wallNanoseconds: Int64 = 0

    /// Throughput: completed operations per wall-clock second.
    public var operationsPerSecond: Double {
        wallNanoseconds > 0 ? Double(simulation.reads.count + simulation.writes.count) / (Double(wallNanoseconds) / 1e9) : 0
    }

    /// Judges the records into ``simulation`` (``OperationRecord``'s judge);
    /// `final` gives the merge of every node's state for a key after the run.
    mutating func judge(network: NetworkModel, final: (UInt64) -> Versioned?) {
        records.judge(network: network, into: &simulation, final: final)
    }

    /// The run as a register history (see `Array<OperationRecord>.history`).
    public var history: History { records.history }
}
