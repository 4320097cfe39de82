import Consistency
import Quorum
import RuntimeSupport

/// Judges an engine's operation records with the lab's definitions, so real
/// stores and the model share columns:
///
/// - stale reads by the simulator's ``ConsistencyJudge`` (a read that misses
///   a write acknowledged before the read began), fed in completion order.
///   Each write is an LWW ``Versioned`` whose timestamp is the store's order
///   of writes: etcd's revision (a read carries its value's `mod_revision`),
///   or for Redis, whose single primary applies writes in the order it
///   acknowledges them, the write's completion time (a write not
///   acknowledged orders after every acknowledged one);
/// - lost acknowledged writes: acknowledged writes the final state of their
///   key does not reflect (``Versioned/includes(_:)``) after heal;
/// - the history, in Jepsen's shape, for the lab's linearizability checker.
public enum EngineJudge {
    public struct Verdict: Sendable {
        public var result = SimulationResult()
        public var indeterminate = 0
        public var indeterminateInWindow = 0
        public var acknowledgedWrites = 0
        public var lostWrites = 0
        public var keysChecked = 0
    }

    static func version(_ sequence: Int64, _ timestamp: Int64) -> Versioned {
        .lww(Version(timestamp: timestamp, coordinator: 0, sequence: UInt64(bitPattern: sequence)))
    }

    /// Every write's version, by value.
    static func writeVersions(_ records: [EngineOperation]) -> [Int64: Versioned] {
        var versions: [Int64: Versioned] = [:]
        for r in records where r.isWrite {
            let t = r.order > 0 ? r.order : (r.outcome == .ok ? r.completed : Int64.max / 2)
            versions[r.value!] = version(r.value!, t)
        }
        return versions
    }

    static func readVersion(_ value: Int64?, order: Int64, _ versions: [Int64: Versioned]) -> Versioned? {
        guard let value else { return nil }
        if order > 0 { return version(value, order) }
        return versions[value] ?? version(value, Int64.max / 2)
    }

    /// Stale reads, failures and (with `finalValues`: key → value read after heal, with its order) lost writes.
    /// `window`: the fault window (run-relative nanoseconds); requests invoked in it are counted apart.
    /// Only records `counted` accepts are counted and judged; every acknowledged write still counts as
    /// a write a read may miss.
    public static func judge(_ records: [EngineOperation], window: ClosedRange<Int64>? = nil,
                             finalValues: [UInt64: (value: Int64?, order: Int64)]? = nil,
                             counted: (EngineOperation) -> Bool = { _ in true }) -> Verdict {
        var verdict = Verdict()
        let versions = writeVersions(records)
        var judge = ConsistencyJudge()
        for r in records.sorted(by: { $0.completed < $1.completed }) {
            if !counted(r) {
                if r.isWrite && r.outcome == .ok {
                    judge.wrote(key: r.key, sequence: UInt64(bitPattern: r.value!), session: -1, issued: r.invoked, completed: r.completed,
                                version: versions[r.value!]!)
                }
                continue
            }
            let inWindow = window?.contains(r.invoked) ?? false
            if r.isWrite { verdict.result.writesIssued += 1 } else { verdict.result.readsIssued += 1 }
            if inWindow { verdict.result.issuedInPartition += 1 }
            if r.outcome != .ok {
                if r.isWrite { verdict.result.writesFailed += 1 } else { verdict.result.readsFailed += 1 }
                if inWindow { verdict.result.failedInPartition += 1 }
                if r.outcome == .info { verdict.indeterminate += 1; if inWindow { verdict.indeterminateInWindow += 1 } }
                continue
            }
            if r.isWrite {
                verdict.acknowledgedWrites += 1
                judge.wrote(key: r.key, sequence: UInt64(bitPattern: r.value!), session: Int(r.process), issued: r.invoked, completed: r.completed,
                            version: versions[r.value!]!)
            } else {
                judge.read(readVersion(r.value, order: r.order, versions), key: r.key, session: Int(r.process), invoked: r.invoked,
                           inPartition: inWindow, into: &verdict.result)
            }
        }
        if let finalValues {
            for r in records where r.isWrite && r.outcome == .ok && counted(r) {
                let final = finalValues[r.key].flatMap { readVersion($0.value, order: $0.order, versions) }
                if !(final?.includes(versions[r.value!]!) ?? false) { verdict.lostWrites += 1 }
            }
            verdict.keysChecked = finalValues.count
        }
        verdict.result.lostWrites = verdict.lostWrites
        return verdict
    }

    /// The records as a Jepsen history (invocations and completions in time order; `:info` for
    /// indeterminate outcomes, `:fail` for certain failures).
    public static func history(_ records: [EngineOperation]) -> History {
        var timed: [(time: Int64, rank: Int, event: HistoryEvent)] = []
        for r in records {
            let f: HistoryEvent.Function = r.isWrite ? .write : .read
            timed.append((r.invoked, 1, HistoryEvent(type: .invoke, function: f, process: r.process, key: .integer(Int64(r.key)),
                                                     value: r.isWrite ? r.value : nil, timeNanoseconds: r.invoked)))
            let type: HistoryEvent.EventType = r.outcome == .ok ? .ok : r.outcome == .fail ? .fail : .info
            timed.append((r.completed, 0, HistoryEvent(type: type, function: f, process: r.process, key: .integer(Int64(r.key)),
                                                       value: r.isWrite || r.outcome == .ok ? r.value : nil, timeNanoseconds: r.completed)))
        }
        timed.sort { ($0.time, $0.rank) < ($1.time, $1.rank) }
        return History(events: timed.map(\.event))
    }

    /// The lab's checker's verdict on the records.
    public static func linearizability(_ records: [EngineOperation]) -> LinearizabilityChecker.Report {
        LinearizabilityChecker().check((try? EngineJudge.history(records).operations()) ?? [])
    }
}
