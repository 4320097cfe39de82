/// "How stale", in time: the smallest Δ for which one register's history is
/// Δ-atomic (Golab, Li & Shah, "Analyzing consistency properties for fun and
/// profit", PODC 2011, §3): H is Δ-atomic iff the history obtained from H by
/// decreasing the start time of every read by Δ (finish times and writes
/// unchanged) is atomic (linearizable). 0-atomic is linearizable; the
/// smallest Δ is the measured counterpart of PBS's t-visibility (Bailis et
/// al., VLDB 2012): how long after a write completes a read may still miss it.
///
/// Moving reads' starts earlier only removes real-time precedences, so the
/// property is monotone in Δ and the smallest Δ is found by binary search;
/// each probe is the zones test (``ZoneRules``, Gibbons & Korach 1997) on
/// the shifted history. With unique written values the clusters (a write and
/// the reads of its value) are built once; a probe only recomputes each
/// cluster's largest start, max(write start, latest read start − Δ).
///
/// Times are the events' nanoseconds when every event of the history has
/// one and they never decrease along the file, else event positions (Δ then
/// counts events). Ties between a finish and a shifted read start count as
/// concurrent (no precedence); at Δ = 0 the history's own order decides, so
/// Δ = 0 exactly when the key is linearizable.
///
/// - Complexity: O(n + C log C · log T) for n operations, C written values
///   and a time span T; O(n) memory.
public enum DeltaAtomicity {
    public enum Result: Sendable, Equatable {
        /// The smallest Δ (≥ 0) for which the key is Δ-atomic.
        case delta(Int64)
        /// No Δ helps: a read returned a value never written, or completed
        /// before the write of its value was invoked.
        case never
        /// Two writes write the same value (no read mapping): not computed.
        case notApplicable
    }

    /// A time stamp with a tie-breaker: the event's position, or −1 for a
    /// shifted read start (so it is concurrent with a finish at the same time).
    struct Stamp: Comparable {
        let time: Int64
        let order: Int
        static func < (a: Stamp, b: Stamp) -> Bool { (a.time, a.order) < (b.time, b.order) }
        static let minusInfinity = Stamp(time: .min, order: .min)
        static let plusInfinity = Stamp(time: .max, order: .max)
    }

    struct Cluster {
        var writeStart: Stamp
        var minFinish: Stamp
        var latestReadStart: Stamp?
        /// An indeterminate write no read saw: it may never have happened.
        var unreadIndeterminate: Bool
    }

    /// The smallest Δ for one key. `ops`: the key's searchable operations
    /// (``LinearizabilityChecker/searchable(_:)``); `time`: an event
    /// position's time (positions are `Int.max` for no completion).
    static func smallestDelta(_ ops: [RegisterOperation], time: (Int) -> Int64) -> Result {
        func stamp(_ position: Int) -> Stamp { position == Int.max ? .plusInfinity : Stamp(time: time(position), order: position) }
        var clusterOfValue: [Int64: Int] = [:]
        var clusters = [Cluster(writeStart: .minusInfinity, minFinish: .minusInfinity, latestReadStart: nil, unreadIndeterminate: false)]
        var earliest = Int64.max, latest = Int64.min
        for op in ops where op.function == .write {
            guard let value = op.value, clusterOfValue[value] == nil else { return .notApplicable }
            clusterOfValue[value] = clusters.count
            clusters.append(Cluster(writeStart: stamp(op.invokePosition), minFinish: stamp(op.completePosition), latestReadStart: nil,
                                    unreadIndeterminate: op.completePosition == Int.max))
        }
        for op in ops {
            for p in [op.invokePosition, op.completePosition] where p != Int.max {
                earliest = min(earliest, time(p))
                latest = max(latest, time(p))
            }
        }
        for op in ops where op.function == .read {
            let index: Int
            if let value = op.value {
                guard let i = clusterOfValue[value] else { return .never }
                index = i
            } else {
                index = 0
            }
            let finish = stamp(op.completePosition)
            if finish < clusters[index].writeStart { return .never }
            clusters[index].minFinish = min(clusters[index].minFinish, finish)
            clusters[index].latestReadStart = max(clusters[index].latestReadStart ?? .minusInfinity, stamp(op.invokePosition))
            clusters[index].unreadIndeterminate = false
        }
        // Clusters that constrain anything, by smallest finish (forward zones' low end, the same for every Δ).
        let active = clusters.indices.filter { i in
            clusters[i].latestReadStart != nil || (i != 0 && !clusters[i].unreadIndeterminate)
        }.sorted { clusters[$0].minFinish < clusters[$1].minFinish }
        func atomic(_ delta: Int64) -> Bool {
            var forward: [ZoneRules.Zone<Stamp>] = []
            var backward: [ZoneRules.Zone<Stamp>] = []
            for i in active {
                let c = clusters[i]
                var start = c.writeStart
                if let read = c.latestReadStart {
                    let shifted = delta == 0 ? read : Stamp(time: read.time.subtractingReportingOverflow(delta).overflow ? .min : read.time - delta, order: -1)
                    start = max(start, shifted)
                }
                if c.minFinish < start {
                    forward.append(.init(low: c.minFinish, high: start, tag: i))
                } else {
                    backward.append(.init(low: start, high: c.minFinish, tag: i))
                }
            }
            return ZoneRules.firstConflict(forward: &forward, backward: backward) == nil
        }
        if atomic(0) { return .delta(0) }
        // At this Δ every read starts before every finish: no operation precedes a read.
        let (span, overflow) = latest.subtractingReportingOverflow(earliest)
        var high = overflow ? Int64.max : span + 1
        if !atomic(high) { return .never }
        var low: Int64 = 0 // not atomic at low, atomic at high
        while high - low > 1 {
            let mid = low + (high - low) / 2
            if atomic(mid) { high = mid } else { low = mid }
        }
        return .delta(high)
    }

    /// Times for ``smallestDelta(_:time:)``: the events' nanoseconds when every
    /// event has one and they never decrease along the history, else positions.
    /// `inNanoseconds` says which.
    static func times(of history: History) -> (time: [Int64], inNanoseconds: Bool) {
        var times: [Int64] = []
        times.reserveCapacity(history.events.count)
        for e in history.events {
            guard let t = e.timeNanoseconds, t >= (times.last ?? .min) else {
                return (history.events.indices.map { Int64($0) }, false)
            }
            times.append(t)
        }
        return (times, true)
    }
}
