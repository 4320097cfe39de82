import Quorum

/// The registry of replication cores: every core a runtime can run, by the
/// name scenario files (`grid.protocol`), experiments and CSVs use.
///
/// Adding a core: write it (a ``ReplicationCore``), then add its case here
/// and its arm in ``withCore(_:)`` — the compiler asks for the arm. The
/// simulator, the threaded cluster, scenario files, `caplab simulate` and
/// `caplab stress` then run it; `RuntimeSupportTests`-style suites that
/// iterate ``allCases`` cover it.
public enum ReplicationProtocol: String, Sendable, CaseIterable {
    /// Dynamo-style quorums (``DynamoNode``): R, W, read repair, sloppy quorums, versioning.
    case dynamo
    /// Majority reads with write-back (``ABDNode``): linearizable.
    case abd
    /// A Raft group of the first N nodes (``RaftNode``): leader-based; reads by ``RaftConfiguration/ReadMode``.
    case raft

    /// Calls `runner` with this protocol's core type. Inlinable, so a
    /// runtime that calls it with its own runner gets one copy of its
    /// generic code per core, specialised: no existential and no closure
    /// call per message.
    @inlinable
    public func withCore<Runner: CoreRunner>(_ runner: Runner) -> Runner.Result {
        switch self {
        case .dynamo: return runner.run(DynamoNode.self)
        case .abd: return runner.run(ABDNode.self)
        case .raft: return runner.run(RaftNode.self)
        }
    }

    /// Whether the core honours R, W, read repair, sloppy quorum and
    /// versioning (``ReplicationCore/honoursQuorumSettings``); a sweep runs
    /// a core that does not once per N, with majorities.
    public var honoursQuorumSettings: Bool { withCore(HonoursQuorumSettings()) }

    /// The registered names, for messages: "dynamo, abd or raft".
    public static var namesForMessages: String {
        let names = allCases.map(\.rawValue)
        return names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}

/// What a runtime does with a core type: ``ReplicationProtocol/withCore(_:)`` calls ``run(_:)`` with it.
public protocol CoreRunner {
    associatedtype Result
    func run<Core: ReplicationCore>(_ core: Core.Type) -> Result
}

struct HonoursQuorumSettings: CoreRunner {
    func run<Core: ReplicationCore>(_ core: Core.Type) -> Bool { Core.honoursQuorumSettings }
}
