import Consistency
import Quorum

/// One client operation as a runtime saw it, filled in place during the
/// run (a runtime preallocates one per operation, so recording allocates
/// nothing per operation).
public struct OperationRecord: Sendable {
    public var request: UInt64
    public var key: UInt64
    public var isWrite: Bool
    public var session: Int
    /// The arrival process's start time (ns since the run began).
    public var intended: Int64
    /// When the client handed it to the coordinator; -1 before.
    public var invoked: Int64 = -1
    /// When the coordinator produced the reply; -1 if never.
    public var completed: Int64 = -1
    public var timedOut = false
    /// A write's version, or what a read returned.
    public var version: Versioned?

    public init(request: UInt64, key: UInt64, isWrite: Bool, session: Int, intended: Int64) {
        self.request = request
        self.key = key
        self.isWrite = isWrite
        self.session = session
        self.intended = intended
    }
}

extension Array where Element == OperationRecord {
    /// Counts, staleness, session guarantees and lost writes of a recorded
    /// run, judged as the simulator judges them (``ConsistencyJudge``): in
    /// completion order, a read against the writes completed before it was
    /// sent. `final` gives the merge of every node's state for a key after the run.
    public func judge(network: NetworkModel, into result: inout SimulationResult, final: (UInt64) -> Versioned?) {
        var judge = ConsistencyJudge()
        for r in self {
            if r.isWrite { result.writesIssued += 1 } else { result.readsIssued += 1 }
            if network.inPartitionWindow(r.intended) {
                result.issuedInPartition += 1
                if r.timedOut || r.completed < 0 { result.failedInPartition += 1 }
            }
            if r.timedOut || r.completed < 0 {
                if r.isWrite { result.writesFailed += 1 } else { result.readsFailed += 1 }
            }
        }
        for r in filter({ !$0.timedOut && $0.completed >= 0 }).sorted(by: { $0.completed < $1.completed }) {
            if r.isWrite {
                judge.wrote(key: r.key, sequence: r.request, session: r.session, issued: r.invoked, completed: r.completed, version: r.version!)
            } else {
                judge.read(r.version, key: r.key, session: r.session, invoked: r.invoked, inPartition: network.inPartitionWindow(r.intended),
                           into: &result)
            }
        }
        var issued: [UInt64: Int64] = [:]
        for r in self where r.isWrite && r.invoked >= 0 { issued[r.request] = r.invoked }
        result.lostWrites = judge.lostWrites(final: final, issueTime: { issued[$0] }, observed: [:])
    }

    /// The run as a register history: each operation's invocation (when the
    /// client sent it) and completion (when its coordinator answered), in
    /// time order, invocations first on ties. A write's value is its
    /// request id; a timed-out write is `info` (it may have taken effect); a
    /// timed-out read is `fail` (a read changes nothing). Process = request id.
    public var history: History {
        var stamped: [(time: Int64, rank: Int, event: HistoryEvent)] = []
        stamped.reserveCapacity(count * 2)
        for r in self where r.invoked >= 0 {
            let f: HistoryEvent.Function = r.isWrite ? .write : .read
            let process = Int64(r.request)
            let key = HistoryKey.integer(Int64(bitPattern: r.key))
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
