import ArgumentParser
import Foundation
import Lab
import Quorum
import Simulation
import Stats

struct RaftSafetyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raft-safety",
        abstract: "Run the Raft core under random faults for many seeds, checking Raft's safety properties after every step.",
        discussion: """
            Each seed picks a group of 3 or 5, PreVote, CheckQuorum, a read mode, message loss and duplication, \
            and runs 4 s of virtual time with a client load and a fault every 100-500 ms (random partitions, the \
            leader isolated in a minority, crashes with restarts, heals; delays of 1-15 ms reorder messages), then \
            1 s healed. After every step the checker tests election safety, leader append-only, log matching, \
            leader completeness and state machine safety (Figure 3 of Ongaro & Ousterhout 2014); a violation stops \
            that run and is listed with its seed and step. The report on stdout depends only on the arguments \
            (same seeds, same bytes); progress and wall time go to stderr.
            Exit status: 0 no violation, 1 at least one.
            Example:  caplab raft-safety --seeds 10000
            """)

    @Option(name: .long, help: "How many seeds to run.")
    var seeds = 1_000

    @Option(name: .long, help: "The first seed.")
    var from: UInt64 = 1

    @Option(name: .customLong("unsafe-variant"),
            help: "Run a deliberately broken Raft to see the checker catch it: commit-earlier-terms or votes-without-up-to-date-check.")
    var unsafeVariant: String?

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds: expected at least 1") }
        if let unsafeVariant, RaftConfiguration.UnsafeVariant(rawValue: unsafeVariant) == nil {
            throw ValidationError("--unsafe-variant: expected \(RaftConfiguration.UnsafeVariant.allCases.map(\.rawValue).joined(separator: " or ")), got '\(unsafeVariant)'")
        }
    }

    func run() throws {
        let variant = unsafeVariant.flatMap(RaftConfiguration.UnsafeVariant.init(rawValue:))
        let reporter = ProgressReporter(experiment: "raft-safety", totalSteps: seeds, interactive: ProgressReporter.stderrIsTerminal)
        let start = monotonicNanoseconds()
        let campaign = RaftSafetyCampaign(firstSeed: from, seeds: seeds, unsafeVariant: variant) { done in
            reporter.update(done: done, "seeds")
            if !ProgressReporter.stderrIsTerminal && done % 1_000 == 0 {
                FileHandle.standardError.write(Data("raft-safety: \(done)/\(seeds) seeds\n".utf8))
            }
        }
        reporter.finish()
        FileHandle.standardOutput.write(Data(campaign.report().utf8))
        let seconds = Double(monotonicNanoseconds() - start) / 1e9
        FileHandle.standardError.write(Data("raft-safety: \(seeds) seeds in \(String(format: "%.1f", seconds)) s wall\n".utf8))
        if !campaign.violations.isEmpty { throw ExitCode(1) }
    }
}
