import Quorum

/// Many ``RaftSafetyRun``s, one per seed, and what they found: the report
/// `caplab raft-safety` prints. The report depends only on the seeds and
/// the variant, so the same arguments give the same bytes.
public struct RaftSafetyCampaign: Sendable {
    public let firstSeed: UInt64
    public let seeds: Int
    public let unsafeVariant: RaftConfiguration.UnsafeVariant?
    public private(set) var runs = 0
    public private(set) var steps = 0
    public private(set) var leadersElected = 0
    public private(set) var entriesCommitted: UInt64 = 0
    public private(set) var faults = RaftSafetyRun.Faults()
    /// Every violating run: seed, step, what broke.
    public private(set) var violations: [(seed: UInt64, step: Int, violation: RaftInvariantChecker.Violation)] = []

    /// Runs seeds `firstSeed ..< firstSeed + seeds`; `progress` after each run with the number done.
    public init(firstSeed: UInt64, seeds: Int, unsafeVariant: RaftConfiguration.UnsafeVariant? = nil, progress: (Int) -> Void = { _ in }) {
        self.firstSeed = firstSeed
        self.seeds = seeds
        self.unsafeVariant = unsafeVariant
        for i in 0..<seeds {
            let outcome = RaftSafetyRun.run(seed: firstSeed &+ UInt64(i), unsafeVariant: unsafeVariant)
            runs += 1
            steps += outcome.steps
            leadersElected += outcome.leadersElected
            entriesCommitted += outcome.committed
            faults.add(outcome.faults)
            if let (step, violation) = outcome.violation { violations.append((outcome.seed, step, violation)) }
            progress(i + 1)
        }
    }

    /// The report, one fact a line; at most `listed` violations spelt out.
    public func report(listed: Int = 20) -> String {
        var lines = [
            "raft safety: seeds \(firstSeed)..\(firstSeed &+ UInt64(seeds) &- 1), variant \(unsafeVariant?.rawValue ?? "none (correct Raft)")",
            "runs: \(runs)",
            "steps checked: \(steps)",
            "leaders elected: \(leadersElected)",
            "entries committed (highest commit index per run, summed): \(entriesCommitted)",
            "faults injected: partitions \(faults.partitions), leader isolations \(faults.leaderIsolations), crashes \(faults.crashes), restarts \(faults.restarts), heals \(faults.heals)",
            "messages: dropped \(faults.messagesDropped), duplicated \(faults.messagesDuplicated), reordered \(faults.messagesReordered)",
            "violations: \(violations.count)",
        ]
        for v in violations.prefix(listed) { lines.append("  seed \(v.seed) step \(v.step): \(v.violation)") }
        if violations.count > listed { lines.append("  … \(violations.count - listed) more") }
        return lines.joined(separator: "\n") + "\n"
    }
}
