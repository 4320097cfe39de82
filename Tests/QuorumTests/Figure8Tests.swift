import Foundation
import Quorum
import Simulation
import Testing

/// Figure 8 of Ongaro & Ousterhout (ATC 2014, §5.4.2), scripted: the
/// commands of `testdata/raft/figure-8.txt` run twice, with the safe commit
/// rule and with ``RaftConfiguration/UnsafeVariant/commitEarlierTermsByCounting``.
/// Replaces the disabled random-seed test: the random fault schedules of
/// `caplab raft-safety` do not reach this interleaving (every new leader
/// appends a no-op of its term at once).
@Suite struct Figure8Tests {
    /// The commands of a script file (each line followed by `----`), without the expected output.
    static func commands(_ name: String) throws -> [String] {
        let lines = try String(contentsOf: RaftScriptTests.directory.appendingPathComponent(name), encoding: .utf8).components(separatedBy: "\n")
        return lines.indices.dropLast().filter { lines[$0 + 1] == "----" }.map { lines[$0] }
    }

    static func run(_ variant: RaftConfiguration.UnsafeVariant?) throws -> RaftScript {
        var script = RaftScript()
        script.unsafeVariantOverride = variant
        for command in try commands("figure-8.txt") { _ = try script.run(command) }
        return script
    }

    /// The term-2 entry at index 2.
    static let term2Entry = RaftScript.LogPosition(index: 2, term: 2)

    @Test func safeRuleNeverCommitsTheTerm2EntryAndNothingIsViolated() throws {
        let script = try Self.run(nil)
        #expect(script.violations.isEmpty, "\(script.violations)")
        #expect(!script.committed.contains(Self.term2Entry))
        // (d) happened: S5's term-3 entry is the one committed at index 2.
        #expect(script.committed.contains(RaftScript.LogPosition(index: 2, term: 3)))
    }

    @Test func committingEarlierTermEntriesByCountingIsCaught() throws {
        let script = try Self.run(.commitEarlierTermsByCounting)
        #expect(script.committed.contains(Self.term2Entry))
        let properties = Set(script.violations.map(\.property))
        #expect(properties.contains(.leaderCompleteness))
        #expect(properties.contains(.stateMachineSafety))
    }

    /// The two script files run the same commands (only the cluster line differs), so they cannot drift apart.
    @Test func bothScriptsRunTheSameCommands() throws {
        let safe = try Self.commands("figure-8.txt"), unsafe = try Self.commands("figure-8-commit-earlier-terms.txt")
        #expect(safe.dropFirst() == unsafe.dropFirst())
        #expect(unsafe.first == safe.first! + " unsafe=commit-earlier-terms")
    }
}
