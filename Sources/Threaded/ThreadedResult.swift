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

    /// Staleness and session guarantees, judged as the simulator judges them:
    /// in completion order, a read against the writes completed before it was sent.
    mutating func judge(network: NetworkModel) {
        var completedWrites: [UInt64: [Version]] = [:]
        var lastRead: [Int: [UInt64: Version]] = [:]
        var lastWrite: [Int: [UInt64: (time: Int64, version: Version)]] = [:]
        var completionTimes: [UInt64: [Int64]] = [:]
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
                completedWrites[r.key, default: []].append(r.version!)
                completionTimes[r.key, default: []].append(r.completed)
                lastWrite[r.session, default: [:]][r.key] = (r.completed, r.version!)
                continue
            }
            let version = r.version
            // Writes of this key completed before the read was sent: a prefix of the completion-ordered list.
            let times = completionTimes[r.key] ?? []
            var low = 0, high = times.count
            while low < high {
                let mid = (low + high) / 2
                if times[mid] <= r.invoked { low = mid + 1 } else { high = mid }
            }
            var newest: Version?
            var behind = 0
            for w in (completedWrites[r.key] ?? []).prefix(low) {
                if newest.map({ $0 < w }) ?? true { newest = w }
                if version.map({ $0 < w }) ?? true { behind += 1 }
            }
            let stale = newest.map { n in version.map { $0 < n } ?? true } ?? false
            if stale { result.staleReads += 1 }
            if network.inPartitionWindow(r.intended) {
                result.readsInPartition += 1
                if stale { result.staleReadsInPartition += 1 }
            }
            result.versionsBehindTotal += behind
            result.versionsBehindMax = max(result.versionsBehindMax, behind)
            if low > 0 {
                let ageMs = Double(r.invoked - times[low - 1]) / 1e6
                let bin = SimulationResult.ageBinsMs.firstIndex { ageMs < $0 } ?? SimulationResult.ageBinsMs.count
                result.byAge[bin].reads += 1
                if !stale { result.byAge[bin].consistent += 1 }
            }
            if let previous = lastRead[r.session]?[r.key], version.map({ $0 < previous }) ?? true { result.monotonicReadViolations += 1 }
            if let own = lastWrite[r.session]?[r.key], own.time <= r.invoked, version.map({ $0 < own.version }) ?? true {
                result.readYourWritesViolations += 1
            }
            if let version, lastRead[r.session]?[r.key].map({ $0 < version }) ?? true { lastRead[r.session, default: [:]][r.key] = version }
        }
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
            let value: Int64? = r.isWrite ? written : r.version.map { Int64($0.sequence) }
            stamped.append((r.completed, 1, HistoryEvent(type: type, function: f, process: process, key: key, value: value, timeNanoseconds: r.completed)))
        }
        stamped.sort { ($0.time, $0.rank, $0.event.process) < ($1.time, $1.rank, $1.event.process) }
        return History(events: stamped.map(\.event))
    }
}
