import Quorum
import RuntimeSupport

/// The simulator's truth about one key of a recorded run, and what that
/// truth implies for a linearizability checker — computed here by brute
/// force, independently of `Consistency` (no zones, no search), so the
/// checker can be compared with it (``GroundTruthTests``).
///
/// The truth is the version order: every write that took effect at any
/// replica carries a ``Version`` (Dynamo LWW: the coordinator's timestamp;
/// ABD: its tag; Raft: the log index), and replicas only ever replace a
/// version by a greater one (``applyLogProblems(_:perRead:)`` checks that
/// on the apply log), so the greatest version is what they converge to.
/// Versions come from acknowledged writes, from what reads returned, and
/// from the apply log (a timed-out write that some replica applied); a
/// timed-out write no replica ever applied never took effect and is left out.
///
/// Placing each write at its version rank and each read right after the
/// write it returned gives layers: write i at 2i, its reads at 2i + 1, the
/// empty register's reads at 1. A linearization with this write order exists
/// iff no operation completes before another is invoked while sitting in a
/// later layer (a cycle between the layer order and real-time order needs a
/// real-time edge that goes down a layer, and such an edge is already a
/// 2-cycle) — the *true-order witness*.
///
/// - Complexity: O(n²) per key for n operations (the runs are short).
struct TrueKeyHistory {
    struct Op {
        let request: UInt64
        let isWrite: Bool
        /// When the client sent it and when it was answered (`.max`: a timed-out write, which may take effect at any later time).
        let start: Int64
        let finish: Int64
        /// A write: its own sequence; a read: the sequence it returned (nil: the empty register).
        let seen: UInt64?
    }

    /// Every operation that may have taken effect: successful reads, and writes
    /// that were acknowledged or that some replica applied.
    var ops: [Op] = []
    /// The version of every write of the key that took effect.
    var versions: [UInt64: Version] = [:]
    /// Each write's 1-based rank in the version order.
    private(set) var rank: [UInt64: Int] = [:]
    /// Reads that returned a sequence with no write of this key in the run.
    private(set) var readsOfUnknownWrites = 0
    /// Each op's layer, and the index in `ops` of each write by sequence.
    private(set) var layers: [Int] = []
    private var writeIndex: [UInt64: Int] = [:]
    /// Pairs (x, y) where x completed before y was invoked but the true order puts y in an earlier layer.
    private(set) var realTimeInversions: [(before: Op, after: Op)] = []

    /// Per key of the run: its truth. `applies` may be empty (no apply log).
    static func keys(of result: SimulationResult) -> [UInt64: TrueKeyHistory] {
        var truth: [UInt64: TrueKeyHistory] = [:]
        func learn(_ key: UInt64, _ state: Versioned?) {
            guard let v = state?.lwwVersion else { return }
            truth[key, default: TrueKeyHistory()].versions[v.sequence] = v
        }
        for r in result.records where !r.timedOut { learn(r.key, r.version) }
        for a in result.applies { learn(a.key, a.state) }
        for r in result.records {
            if r.isWrite {
                guard truth[r.key]?.versions[r.request] != nil else { continue } // never took effect anywhere
                truth[r.key, default: TrueKeyHistory()].ops.append(
                    Op(request: r.request, isWrite: true, start: r.invoked, finish: r.timedOut ? .max : r.completed, seen: r.request))
            } else if !r.timedOut {
                truth[r.key, default: TrueKeyHistory()].ops.append(
                    Op(request: r.request, isWrite: false, start: r.invoked, finish: r.completed, seen: r.version?.lwwVersion?.sequence))
            }
        }
        for key in truth.keys { truth[key]!.rankWrites() }
        return truth
    }

    /// Ranks the writes by version, then lays out the layers and finds the inversions.
    private mutating func rankWrites() {
        let writes = ops.filter(\.isWrite).map(\.request).sorted { versions[$0]! < versions[$1]! }
        for (i, s) in writes.enumerated() { rank[s] = i + 1 }
        for (i, op) in ops.enumerated() where op.isWrite { writeIndex[op.request] = i }
        readsOfUnknownWrites = ops.filter { !$0.isWrite && $0.seen.map { rank[$0] == nil } ?? false }.count
        layers = ops.map { op in
            let r = op.seen.flatMap { rank[$0] } ?? 0
            return op.isWrite ? 2 * r : 2 * r + 1
        }
        for (i, x) in ops.enumerated() where x.finish != .max {
            for (j, y) in ops.enumerated() where x.finish < y.start && layers[j] < layers[i] { realTimeInversions.append((x, y)) }
        }
    }

    /// The write a read returned, nil for the empty register.
    func write(seenBy read: Op) -> Op? {
        read.seen.flatMap { writeIndex[$0] }.map { ops[$0] }
    }

    /// A linearization exists that orders the writes as the replicas did.
    var trueOrderIsWitness: Bool { readsOfUnknownWrites == 0 && realTimeInversions.isEmpty }

    /// The smallest Δ for which moving every read's invocation Δ earlier
    /// makes the true-order witness valid; nil when none does (a write
    /// follows in real time an operation of a later layer, or a read
    /// returned an unknown write). Ties between a finish and a moved
    /// invocation count as concurrent, as in Golab, Li & Shah's Δ-atomicity.
    var trueOrderDelta: Int64? {
        guard readsOfUnknownWrites == 0 else { return nil }
        var delta: Int64 = 0
        for (x, y) in realTimeInversions {
            if y.isWrite { return nil }
            delta = max(delta, y.start - x.finish)
        }
        return delta
    }

    /// Writes every linearization puts between read `r`'s write and `r`:
    /// completed after that write completed… (invoked after it completed)
    /// and completed before `r` was invoked. Each forces Δ ≥ r.start − its
    /// completion, since `r` must not follow it.
    func forcedNewer(than r: Op) -> [Op] {
        let seen = write(seenBy: r)
        if r.seen != nil && seen == nil { return [] }
        return ops.filter { w in
            w.isWrite && w.finish != .max && w.request != r.seen && w.finish < r.start
                && (seen.map { $0.finish != .max && $0.finish < w.start } ?? true)
        }
    }

    /// Max over reads of r.start − (earliest completion of a write forced between r's write and r): a lower bound on Δ.
    var forcedDelta: Int64 {
        var bound: Int64 = 0
        for r in ops where !r.isWrite {
            for w in forcedNewer(than: r) { bound = max(bound, r.start - w.finish) }
        }
        return bound
    }

    /// A read completed before the write it returned was invoked (no Δ helps).
    var readBeforeItsWrite: Bool {
        ops.contains { r in !r.isWrite && write(seenBy: r).map { r.finish < $0.start } ?? false }
    }

    /// Completed writes newer in the true order than what `r` returned and
    /// completed before `r` was invoked (`inclusive`: or at that instant, as
    /// the simulator's ``ConsistencyJudge`` counts).
    func trueVersionsBehind(_ r: Op, inclusive: Bool = false) -> Int {
        let seen = r.seen.flatMap { versions[$0] }
        return ops.filter { w in
            w.isWrite && w.finish != .max && (inclusive ? w.finish <= r.start : w.finish < r.start)
                && seen.map { versions[w.request]! > $0 } ?? true
        }.count
    }

    /// A write invoked after another completed holds the smaller version
    /// (LWW under clock skew): the true order contradicts real time, and the
    /// later write is silently lost.
    var writesContradictRealTime: Bool {
        let writes = ops.filter(\.isWrite)
        return writes.contains { a in
            writes.contains { b in a.finish != .max && a.finish < b.start && versions[b.request]! < versions[a.request]! }
        }
    }
}

/// What the apply log says against the claims the truth rests on: each
/// replica's versions of a key only grow (between losses of the key: a Raft
/// state machine is rebuilt after a restart), and, with `perRead`, a read
/// returned a version some replica held no later than the read's answer.
/// `perRead` is for cores that apply one write of a key per step (Dynamo,
/// ABD); a Raft step can apply a batch and show only its last write.
func applyLogProblems(_ result: SimulationResult, perRead: Bool) -> [String] {
    var problems: [String] = []
    struct Replica: Hashable { let node: NodeID; let key: UInt64 }
    var last: [Replica: Version] = [:]
    var firstHeld: [UInt64: Int64] = [:]
    for a in result.applies {
        let replica = Replica(node: a.node, key: a.key)
        guard let v = a.state?.lwwVersion else { last[replica] = nil; continue }
        if let previous = last[replica], !(previous < v) {
            problems.append("node \(a.node) key \(a.key) at \(a.time) ns: version \(v) replaced the greater \(previous)")
        }
        last[replica] = v
        firstHeld[v.sequence] = min(firstHeld[v.sequence] ?? .max, a.time)
    }
    if perRead {
        for r in result.records where !r.isWrite && !r.timedOut {
            guard let v = r.version?.lwwVersion else { continue }
            if (firstHeld[v.sequence] ?? .max) > r.completed {
                problems.append("read \(r.request) of key \(r.key) returned write \(v.sequence), which no replica held by \(r.completed) ns")
            }
        }
    }
    return problems
}
