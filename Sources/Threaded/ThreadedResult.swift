import Consistency
import Quorum
import Simulation
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

    /// Staleness, session guarantees and lost writes, judged as the simulator
    /// judges them (``ConsistencyJudge``): in completion order, a read against
    /// the writes completed before it was sent. `final` gives the merge of
    /// every node's state for a key after the run.
    mutating func judge(network: NetworkModel, final: (UInt64) -> Versioned?) {
        var judge = ConsistencyJudge()
        var result = simulation
        for r in records {
            if r.isWrite { result.writesIssued += 1 } else { result.readsIssued += 1 }
            if network.inPartitionWindow(r.intended) {
                result.issuedInPartition += 1
                if r.timedOut || r.completed < 0 { result.failedInPartition += 1 }
            }
            if r.timedOut || r.completed < 0 {
                if r.isWrite { result.writesFailed += 1 } else { result.readsFailed += 1 }
            }
        }
        for r in records.filter({ !$0.timedOut && $0.completed >= 0 }).sorted(by: { $0.completed < $1.completed }) {
            if r.isWrite {
                judge.wrote(key: r.key, sequence: r.request, session: r.session, issued: r.invoked, completed: r.completed, version: r.version!)
            } else {
                judge.read(r.version, key: r.key, session: r.session, invoked: r.invoked, inPartition: network.inPartitionWindow(r.intended),
                           into: &result)
            }
        }
        var issued: [UInt64: Int64] = [:]
        for r in records where r.isWrite && r.invoked >= 0 { issued[r.request] = r.invoked }
        result.lostWrites = judge.lostWrites(final: final, issueTime: { issued[$0] }, observed: [:])
        simulation = result
    }

    /// The run as a register history: each operation's invocation (when the
    /// client sent it) and completion (when its coordinator answered), in
    /// time order, invocations first on ties. A write's value is its
    /// request id; a timed-out write is `info` (it may have taken effect); a
    /// timed-out read is `fail` (a read changes nothing). Process = request id.
    public var history: History {
        var stamped: [(time: Int64, rank: Int, event: HistoryEvent)] = []
        stamped.reserveCapacity(records.count * 2)
        for r in records where r.invoked >= 0 {
            let f: HistoryEvent.Function = r.isWrite ? .write : .read
            let process = Int64(r.request)
            let key = Int64(bitPattern: r.key)
            let written: Int64? = r.isWrite ? Int64(r.request) : nil
            stamped.append((r.invoked, 0, HistoryEvent(type: .invoke, function: f, process: process, key: key, value: written, timeNanoseconds: r.invoked)))
            guard r.completed >= 0 else { continue }
            let type: HistoryEvent.EventType = r.timedOut ? (r.isWrite ? .info : .fail) : .ok
            let value: Int64? = r.isWrite ? written : r.version?.lwwVersion.map { Int64($0.sequence) }
            stamped.append((r.completed, 1, HistoryEvent(type: type, function: f, process: process, key: key, value: value, timeNanoseconds: r.completed)))
        }
        stamped.sort { ($0.time, $0.rank, $0.event.process) < ($1.time, $1.rank, $1.event.process) }
        return History(events: stamped.map(\.event))
    }
}
