import RuntimeSupport

/// How stale each read of a recorded run was, in time: the read's start
/// minus the finish of the earliest write that is certainly newer than the
/// value it returned (invoked after that value's write completed) and that
/// had completed before the read started. 0 for a read that missed no such
/// write. This is the time PBS's t-visibility speaks about (Bailis et al.,
/// PVLDB 2012: a read started t after a write committed), measured per read.
///
/// It is a lower bound on the key's Δ-atomicity (Golab, Li & Shah, PODC
/// 2011): moving that read's start back by less leaves the newer write
/// before it in real time, and the read then returns an overwritten value.
/// Δ can be larger: reads that invert each other while a write is in flight.
///
/// Only successful reads count; a read that returned a value from a write
/// that never completed (timed out) has no certainly newer write.
///
/// - Complexity: O(n log n) for n records (a sort per key and a binary
///   search per read), O(n) memory.
public struct ReadStaleness: Sendable {
    public struct Key: Sendable {
        public let key: UInt64
        public let reads: Int
        public let staleReads: Int
        /// The largest staleness of a read of the key, ns (0 when no read was stale).
        public let maxStalenessNanoseconds: Int64
    }

    /// Per key, ascending by key.
    public let keys: [Key]
    /// Every stale read's staleness, ns, ascending.
    public let staleness: [Int64]

    public init(_ records: [OperationRecord]) {
        struct Write { let invoked: Int64; let completed: Int64 }
        var writesByKey: [UInt64: [Write]] = [:]
        var finishOfSequence: [UInt64: Int64] = [:]
        var readsByKey: [UInt64: [OperationRecord]] = [:]
        for r in records where r.invoked >= 0 && r.completed >= 0 {
            if r.isWrite {
                guard !r.timedOut else { continue }
                writesByKey[r.key, default: []].append(Write(invoked: r.invoked, completed: r.completed))
                finishOfSequence[r.request] = r.completed
            } else if !r.timedOut {
                readsByKey[r.key, default: []].append(r)
            }
        }
        var keys: [Key] = []
        var all: [Int64] = []
        for key in Set(writesByKey.keys).union(readsByKey.keys).sorted() {
            let writes = (writesByKey[key] ?? []).sorted { $0.invoked < $1.invoked }
            // earliestFinish[i]: the smallest completion among writes[i...].
            var earliestFinish = [Int64](repeating: .max, count: writes.count + 1)
            for i in stride(from: writes.count - 1, through: 0, by: -1) {
                earliestFinish[i] = min(earliestFinish[i + 1], writes[i].completed)
            }
            let reads = readsByKey[key] ?? []
            var stale = 0
            var worst: Int64 = 0
            for read in reads {
                // The finish of the write whose value the read returned; none read: before everything.
                let base: Int64
                if let sequence = read.version?.lwwVersion?.sequence {
                    guard let finish = finishOfSequence[sequence] else { continue }
                    base = finish
                } else {
                    base = .min
                }
                // First write invoked strictly after `base`.
                var low = 0, high = writes.count
                while low < high {
                    let mid = (low + high) / 2
                    if writes[mid].invoked <= base { low = mid + 1 } else { high = mid }
                }
                // Ties: the history puts an invocation before a completion at the same time, so a
                // write finishing exactly when the read starts does not precede it.
                let finish = earliestFinish[low]
                guard finish < read.invoked else { continue }
                let s = read.invoked - finish
                stale += 1
                worst = max(worst, s)
                all.append(s)
            }
            keys.append(Key(key: key, reads: reads.count, staleReads: stale, maxStalenessNanoseconds: worst))
        }
        self.keys = keys
        staleness = all.sorted()
    }

    public var reads: Int { keys.reduce(0) { $0 + $1.reads } }
    public var staleReads: Int { staleness.count }
    public var staleReadFraction: Double { reads > 0 ? Double(staleReads) / Double(reads) : 0 }
}
