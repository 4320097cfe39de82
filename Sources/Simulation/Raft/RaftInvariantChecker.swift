import Quorum
import RaftLog

/// Checks the properties of Figure 3 of Ongaro & Ousterhout, "In Search of
/// an Understandable Consensus Algorithm" (ATC 2014) over a cluster of
/// ``RaftNode``s, after each step of one node:
///
/// - **Election safety**: at most one leader per term.
/// - **Leader append-only**: while a node leads a term its log only grows
///   (its last entry stays in place).
/// - **Log matching**: two logs holding an entry with the same index and
///   term are identical up to it. Checked by induction over a ledger of
///   every (index, term) ever written anywhere: each written entry must
///   carry the payload and previous term the ledger holds for it, so equal
///   (index, term) pairs imply equal prefixes.
/// - **Leader completeness**: an entry committed in term t is in the log of
///   every leader of a later term.
/// - **State machine safety**: no two nodes apply different entries at one
///   index (and no index is committed with two different terms).
///
/// The caller says which of the node's entries the step may have written
/// (`writtenFrom`): the leader appends after its last entry, a follower from
/// the AppendEntries' previous index on, so each step costs O(entries written
/// + entries newly committed or applied), not O(log).
public struct RaftInvariantChecker: Sendable {
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        public enum Property: String, Sendable, CaseIterable {
            case electionSafety = "election safety"
            case leaderAppendOnly = "leader append-only"
            case logMatching = "log matching"
            case leaderCompleteness = "leader completeness"
            case stateMachineSafety = "state machine safety"
        }
        public let property: Property
        public let detail: String
        public var description: String { "\(property.rawValue): \(detail)" }
    }

    struct LedgerKey: Hashable { let index: UInt64; let term: UInt64 }
    struct LedgerEntry { let payload: [UInt8]; let previousTerm: UInt64 }

    /// The leader of each term seen so far.
    var leaders: [UInt64: NodeID] = [:]
    /// Per node: the term it leads and its last entry then (nil when not leading).
    var leading: [(term: UInt64, lastIndex: UInt64, lastTerm: UInt64)?]
    var ledger: [LedgerKey: LedgerEntry] = [:]
    /// Per index (slot index − 1): the term committed there and the term of the first node that committed it (0: none yet).
    var committedTerm: [UInt64] = []
    var committedIn: [UInt64] = []
    /// Per index: the term of the entry first applied there.
    var appliedTerm: [UInt64] = []
    /// Per node: the commit and apply indexes already checked.
    var checkedCommit: [UInt64]
    var checkedApplied: [UInt64]

    public init(nodes: Int) {
        leading = Array(repeating: nil, count: nodes)
        checkedCommit = Array(repeating: 0, count: nodes)
        checkedApplied = Array(repeating: 0, count: nodes)
    }

    /// A node crashed: its volatile indexes restart from zero.
    public mutating func crashed(_ node: NodeID) {
        leading[node] = nil
        checkedCommit[node] = 0
        checkedApplied[node] = 0
    }

    /// Checks `node` after a step that may have written its log from index `writtenFrom` on.
    public mutating func check(_ node: RaftNode, writtenFrom: UInt64) -> Violation? {
        let id = node.id
        let lastIndex = node.lastLogIndex
        // Log matching: the entries written this step agree with the ledger.
        if writtenFrom <= lastIndex {
            let first = Swift.max(1, writtenFrom)
            var previousTerm = node.logTerm(at: first - 1) ?? 0
            for entry in node.logEntries(from: first, to: lastIndex + 1) {
                let key = LedgerKey(index: entry.index, term: entry.term)
                if let known = ledger[key] {
                    if known.payload != entry.payload || known.previousTerm != previousTerm {
                        return Violation(property: .logMatching,
                                         detail: "node \(id) holds (index \(entry.index), term \(entry.term)) with a different entry or prefix (previous term \(previousTerm), another log: \(known.previousTerm))")
                    }
                } else {
                    ledger[key] = LedgerEntry(payload: entry.payload, previousTerm: previousTerm)
                }
                previousTerm = entry.term
            }
        }
        // Election safety and leader append-only.
        if node.role == .leader {
            let term = node.currentTerm
            if let other = leaders[term], other != id {
                return Violation(property: .electionSafety, detail: "nodes \(other) and \(id) both lead term \(term)")
            }
            leaders[term] = id
            if let was = leading[id], was.term == term {
                if lastIndex < was.lastIndex || node.logTerm(at: was.lastIndex) != was.lastTerm {
                    return Violation(property: .leaderAppendOnly,
                                     detail: "leader \(id) of term \(term) had (index \(was.lastIndex), term \(was.lastTerm)); its log now ends at \(lastIndex)")
                }
            } else if let missing = missingCommitted(node, before: term) {
                // A new leader: it must hold every entry committed in an earlier term.
                return Violation(property: .leaderCompleteness, detail: "leader \(id) of term \(term) lacks committed \(missing)")
            }
            leading[id] = (term, lastIndex, node.lastLogTerm)
        } else {
            leading[id] = nil
        }
        // Commit: one term per committed index; later leaders must hold it.
        let commit = Swift.min(node.commitIndex, lastIndex)
        if commit > checkedCommit[id] {
            for index in (checkedCommit[id] + 1)...commit {
                let term = node.logTerm(at: index) ?? 0
                let slot = Int(index - 1)
                while committedTerm.count <= slot { committedTerm.append(0); committedIn.append(0) }
                if committedTerm[slot] == 0 {
                    committedTerm[slot] = term
                    committedIn[slot] = node.currentTerm
                } else if committedTerm[slot] != term {
                    return Violation(property: .stateMachineSafety,
                                     detail: "node \(id) commits index \(index) with term \(term); it was committed with term \(committedTerm[slot])")
                }
            }
            checkedCommit[id] = commit
        }
        // Apply: one entry per applied index.
        let applied = node.lastApplied
        if applied < checkedApplied[id] { checkedApplied[id] = 0 }
        if applied > checkedApplied[id] {
            for index in (checkedApplied[id] + 1)...applied {
                let term = node.logTerm(at: index) ?? 0
                let slot = Int(index - 1)
                while appliedTerm.count <= slot { appliedTerm.append(0) }
                if appliedTerm[slot] == 0 {
                    appliedTerm[slot] = term
                } else if appliedTerm[slot] != term {
                    return Violation(property: .stateMachineSafety,
                                     detail: "node \(id) applies index \(index) from term \(term); another node applied term \(appliedTerm[slot]) there")
                }
            }
            checkedApplied[id] = applied
        }
        return nil
    }

    /// The first entry committed in a term before `term` that `node` lacks, described.
    func missingCommitted(_ node: RaftNode, before term: UInt64) -> String? {
        for slot in committedTerm.indices where committedTerm[slot] != 0 && committedIn[slot] < term {
            let index = UInt64(slot + 1)
            if node.logTerm(at: index) != committedTerm[slot] {
                return "(index \(index), term \(committedTerm[slot]), committed in term \(committedIn[slot]))"
            }
        }
        return nil
    }
}
