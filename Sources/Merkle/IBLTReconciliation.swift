/// Set reconciliation of two replicas' (key, version) items with an IBLT
/// sized by a strata estimator (Eppstein et al., SIGCOMM 2011, §4), as a
/// message exchange whose bytes and round trips are counted the same way
/// as ``MerkleDiff``'s:
///
/// 1. initiator → responder: its strata estimator; responder → initiator:
///    an IBLT of `max(minimumCells, overhead · estimate)` cells over its items.
/// 2. The initiator subtracts its own IBLT of that size and peels it. If
///    peeling fails it asks for a table twice the size (one more round trip).
/// 3. A final round trip streams the differing items: the initiator sends
///    what the responder lacks and asks for the rest (8 bytes per key).
///
/// Both sides build their tables from all their items inside the exchange
/// (the table size depends on the difference), so the time includes O(n) hashing.
public enum IBLTReconciliation {
    public struct Report: Sendable, Equatable {
        public var roundTrips = 0
        public var bytesInitiatorToResponder = 0
        public var bytesResponderToInitiator = 0
        public var estimate = 0
        /// Tables that failed to decode before one succeeded.
        public var decodeFailures = 0
        public var succeeded = false
        /// Items the initiator holds that the responder lacks, and the reverse.
        public var onlyInitiator: [Item] = []
        public var onlyResponder: [Item] = []
        public var keysStreamed: Int { onlyInitiator.count + onlyResponder.count }
        public var bytesTotal: Int { bytesInitiatorToResponder + bytesResponderToInitiator }
    }

    static let header = 8

    /// - Parameters:
    ///   - overhead: cells per estimated differing item (Eppstein et al. use
    ///     about 2 for k = 4 at small differences).
    ///   - maxAttempts: table sizes tried before giving up (report `succeeded == false`).
    public static func run(
        initiator: [Item], responder: [Item], overhead: Double = 2, minimumCells: Int = 32, maxAttempts: Int = 8
    ) -> Report {
        var report = Report()
        var estimatorA = StrataEstimator()
        for item in initiator { estimatorA.insert(item) }
        var estimatorB = StrataEstimator()
        for item in responder { estimatorB.insert(item) }
        report.bytesInitiatorToResponder += header + estimatorA.byteCount
        report.estimate = estimatorB.estimate(against: estimatorA)
        var cells = max(minimumCells, Int((overhead * Double(report.estimate)).rounded(.up)))
        for attempt in 0..<maxAttempts {
            var tableB = IBLT(cells: cells)
            for item in responder { tableB.insert(item) }
            report.bytesResponderToInitiator += header + tableB.byteCount
            if attempt > 0 { report.bytesInitiatorToResponder += header }  // "send a bigger table"
            report.roundTrips += 1
            var tableA = IBLT(cells: cells)
            for item in initiator { tableA.insert(item) }
            switch tableA.subtracting(tableB).decode() {
            case .complete(let here, let there):
                report.succeeded = true
                report.onlyInitiator = here
                report.onlyResponder = there
                report.roundTrips += 1
                report.bytesInitiatorToResponder += header + here.count * Item.byteCount + there.count * 8
                report.bytesResponderToInitiator += header + there.count * Item.byteCount
                return report
            case .failed:
                report.decodeFailures += 1
                cells *= 2
            }
        }
        return report
    }
}
