/// The polynomial verdict for one register whose writes all write distinct
/// values: the "zones" characterisation of Gibbons & Korach ("Testing shared
/// memories", SIAM J. Comput. 26(4), 1997, the read-mapping case of their
/// register problem) in the form of Golab, Li & Shah ("Analyzing consistency
/// properties for fun and profit", PODC 2011, §4).
///
/// With unique values each read maps to the one write it saw (the empty
/// register is a virtual write before the history). A *cluster* is a write
/// and the reads of its value; with f its smallest completion and s its
/// largest invocation, its *zone* is forward [f, s] when f < s (the cluster
/// must straddle that stretch: its write before f, its reads after s) and
/// backward [s, f] otherwise. The key is linearizable iff
/// 1. no read completes before its write is invoked (and every read value was written),
/// 2. no two forward zones overlap, and
/// 3. no backward zone lies inside a forward zone.
///
/// Indeterminate writes (`info`, never completed) take effect at some time
/// after their invocation or never: one no read saw is left out, one a read
/// saw completes at +∞. `fail` operations and `info` reads are dropped before
/// this runs (``LinearizabilityChecker/searchable(_:)``).
///
/// - Complexity: O(n log n) time and O(n) memory for n operations — no
///   search, no budget, no `unknown`.
enum RegisterZones {
    enum Verdict: Equatable {
        case linearizable
        /// `blocking`: a history position the explanation should look at or
        /// after; `clusters`: the written values (nil: the empty register)
        /// whose operations show it, a first guess at the window.
        case notLinearizable(blocking: Int, clusters: [Int64?])
    }

    /// A write and the reads of its value.
    struct Cluster {
        /// Smallest completion and largest invocation over the cluster.
        var minComplete: Int
        var maxInvoke: Int
        var writeInvoke: Int
        var value: Int64?
        var hasReads = false
    }

    /// nil when two writes write the same value, or a write writes nothing
    /// (the search must decide); otherwise the key's verdict.
    /// `ops`: one key's searchable operations.
    static func check(_ ops: [RegisterOperation]) -> Verdict? {
        var clusterOfValue: [Int64: Int] = [:]
        clusterOfValue.reserveCapacity(ops.count / 2 + 1)
        // Cluster 0 is the empty register, written before everything.
        var clusters = [Cluster(minComplete: Int.min, maxInvoke: Int.min, writeInvoke: Int.min)]
        // Fields are read in place: copying an operation copies (and retains) its key.
        // nil: no early answer; .some(nil): the search must decide.
        let failure: Verdict?? = ops.withUnsafeBufferPointer { ops in
            for i in ops.indices where ops[i].function == .write {
                guard let value = ops[i].value, clusterOfValue.updateValue(clusters.count, forKey: value) == nil else { return .some(nil) }
                let invoke = ops[i].invokePosition
                clusters.append(Cluster(minComplete: ops[i].completePosition, maxInvoke: invoke, writeInvoke: invoke, value: value))
            }
            for i in ops.indices where ops[i].function == .read {
                let index: Int
                let complete = ops[i].completePosition
                if let value = ops[i].value {
                    guard let c = clusterOfValue[value] else { return Verdict.notLinearizable(blocking: complete, clusters: []) }
                    index = c
                } else {
                    index = 0
                }
                if complete < clusters[index].writeInvoke {
                    return Verdict.notLinearizable(blocking: clusters[index].writeInvoke, clusters: [clusters[index].value])
                }
                clusters[index].minComplete = min(clusters[index].minComplete, complete)
                clusters[index].maxInvoke = max(clusters[index].maxInvoke, ops[i].invokePosition)
                clusters[index].hasReads = true
            }
            return nil
        }
        if let failure { return failure }
        var forward: [ZoneRules.Zone<Int>] = []
        var backward: [ZoneRules.Zone<Int>] = []
        for (i, c) in clusters.enumerated() {
            // The empty register unread constrains nothing; an indeterminate write nobody read may never have happened.
            if !c.hasReads && (i == 0 || c.minComplete == Int.max) { continue }
            if c.minComplete < c.maxInvoke {
                forward.append(.init(low: c.minComplete, high: c.maxInvoke, tag: i))
            } else {
                backward.append(.init(low: c.maxInvoke, high: c.minComplete, tag: i))
            }
        }
        if let (a, b) = ZoneRules.firstConflict(forward: &forward, backward: backward) {
            return .notLinearizable(blocking: max(a.high, b.high), clusters: [clusters[a.tag].value, clusters[b.tag].value])
        }
        return .linearizable
    }
}
