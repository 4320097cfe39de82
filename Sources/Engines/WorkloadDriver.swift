import Foundation
import Stats
import Workload

/// One operation as a client saw it. Times are monotonic nanoseconds from the run's start.
public struct EngineOperation: Sendable {
    public enum Outcome: Sendable { case ok, fail, info }
    public let process: Int64
    public let isWrite: Bool
    public let key: UInt64
    /// The value written, or the value read (nil: absent or no answer).
    public let value: Int64?
    /// The store's order of the write (etcd revision; for a read, of the write it returned), 0 when unknown.
    public let order: Int64
    public let intended: Int64
    public let invoked: Int64
    public let completed: Int64
    public let outcome: Outcome
}

/// Drives sessions with the lab's open-loop workload: Poisson arrivals from
/// ``OperationStream`` (each operation names its client thread), latency
/// measured from the *intended* start (coordinated omission: a stalled
/// store is charged for the requests it delayed), one HdrHistogram per
/// thread, merged. Bounded in count and in time: operations whose intended
/// start is after `maxSeconds` are not issued; each request is bounded by
/// its client's timeout.
public enum WorkloadDriver {
    public struct Configuration: Sendable {
        public var ratePerSecond: Double
        public var writeFraction: Double
        public var keys: KeyDistribution
        public var clients: Int
        public var operations: Int
        public var maxSeconds: Double
        public var seed: UInt64
        /// Added to every key, so runs against one cluster use disjoint keys.
        public var keyOffset: UInt64 = 0

        public init(ratePerSecond: Double, writeFraction: Double, keys: KeyDistribution, clients: Int, operations: Int, maxSeconds: Double, seed: UInt64) {
            self.ratePerSecond = ratePerSecond
            self.writeFraction = writeFraction
            self.keys = keys
            self.clients = clients
            self.operations = operations
            self.maxSeconds = maxSeconds
            self.seed = seed
        }
    }

    public struct Result: Sendable {
        public var records: [EngineOperation]
        public var reads = LatencyHistogram()
        public var writes = LatencyHistogram()
        public var wallSeconds = 0.0
        public var issued: Int { records.count }
        public var failed: Int { records.filter { $0.outcome == .fail }.count }
        public var indeterminate: Int { records.filter { $0.outcome == .info }.count }
        public var throughput: Double { wallSeconds > 0 ? Double(records.filter { $0.outcome == .ok }.count) / wallSeconds : 0 }
    }

    /// Runs the workload; `sessions[i]` serves client thread i. `startNanoseconds` is the zero of the
    /// records' times (a monotonic clock reading), so a fault schedule can share it.
    public static func run<S: EngineSession>(_ configuration: Configuration, sessions: [S], startNanoseconds: UInt64 = monotonicNanoseconds(),
                                             valueBase: Int64 = 0) -> Result {
        precondition(sessions.count == configuration.clients)
        var stream = OperationStream(ratePerSecond: configuration.ratePerSecond, writeFraction: configuration.writeFraction,
                                     keys: configuration.keys, clients: configuration.clients, rng: Xoshiro256StarStar(seed: configuration.seed))
        var plans = Array(repeating: [(OperationStream.Operation, Int64)](), count: configuration.clients)
        let horizon = Int64(configuration.maxSeconds * 1e9)
        for i in 0..<configuration.operations {
            let op = stream.next()
            if op.arrivalNanoseconds > horizon { break }
            plans[op.client].append((op, valueBase + Int64(i) + 1))
        }
        let shared = LockedBox(Result(records: []))
        let group = DispatchGroup()
        for (thread, plan) in plans.enumerated() {
            let box = UncheckedBox(sessions[thread])
            group.enter()
            let worker = Thread {
                var session = box.value
                var records: [EngineOperation] = []
                records.reserveCapacity(plan.count)
                var reads = LatencyHistogram(), writes = LatencyHistogram()
                var process = Int64(thread)
                for (op, value) in plan {
                    let key = op.key &+ configuration.keyOffset
                    let target = startNanoseconds &+ UInt64(op.arrivalNanoseconds)
                    var now = monotonicNanoseconds()
                    if now < target {
                        let wait = target - now
                        if wait > 200_000 { usleep(UInt32((wait - 100_000) / 1000)) }
                        while monotonicNanoseconds() < target { sched_yield() }
                        now = monotonicNanoseconds()
                    }
                    let invoked = Int64(now &- startNanoseconds)
                    var outcome = EngineOperation.Outcome.ok
                    var seen: Int64? = nil
                    var order: Int64 = 0
                    do {
                        if op.isWrite {
                            order = try session.write(key: key, value: value)
                        } else {
                            (seen, order) = try session.read(key: key)
                        }
                    } catch RequestError.failed {
                        outcome = .fail
                    } catch {
                        outcome = .info
                    }
                    let completed = Int64(monotonicNanoseconds() &- startNanoseconds)
                    if outcome == .ok {
                        let latency = UInt64(max(1, completed - op.arrivalNanoseconds))
                        if op.isWrite { writes.record(nanoseconds: latency) } else { reads.record(nanoseconds: latency) }
                    }
                    records.append(EngineOperation(process: process, isWrite: op.isWrite, key: key, value: op.isWrite ? value : seen, order: order,
                                                   intended: op.arrivalNanoseconds, invoked: invoked, completed: completed, outcome: outcome))
                    // Jepsen's convention: a process whose operation is indeterminate is replaced by a new one.
                    if outcome == .info { process += Int64(configuration.clients) }
                }
                shared.withLock { result in
                    result.records += records
                    result.reads.merge(reads)
                    result.writes.merge(writes)
                }
                group.leave()
            }
            worker.stackSize = 512 << 10
            worker.start()
        }
        group.wait()
        var result = shared.withLock { $0 }
        result.wallSeconds = Double(monotonicNanoseconds() &- startNanoseconds) / 1e9
        result.records.sort { $0.invoked < $1.invoked }
        return result
    }
}

/// A value handed to one thread that owns it from then on.
final class UncheckedBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// A value shared between threads behind a lock.
final class LockedBox<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ value: T) { self.value = value }
    func withLock<R>(_ body: (inout T) -> R) -> R { lock.withLock { body(&value) } }
}
