import Quorum
import Simulation

/// A capacity-planning question (`caplab plan FILE`): a topology without
/// replica counts, a workload, objectives, prices and a search space of
/// replication configurations. ``PlanEvaluator`` answers it; reading it from
/// YAML (every key checked, errors naming file, key and expectation) is in
/// `Plan+YAML.swift`.
public struct Plan: Sendable {
    /// The most datacenters a plan's topology may name, and the largest K in
    /// `any K nodes`: availability tries every spread of K failures over the
    /// datacenters, C(K + D − 1, D − 1) ≤ 792 per candidate at these bounds.
    public static let maxDatacenters = 8
    public static let maxAnyNodes = 5
    public var name: String
    /// Datacenters, traffic, models and RTTs; each candidate sets the replica counts.
    public var topology: Topology
    /// Fraction of client operations that are writes.
    public var writeFraction: Double
    /// Client operations per second, all datacenters together (the simulator's open-loop rate).
    public var ratePerSecond: Double
    public var objectives: Objectives
    /// Price of one node in each datacenter (default 1).
    public var pricePerNode: [Double]
    public var search: SearchSpace
    public var evaluation: Evaluation

    /// What every acceptable configuration must do; each is optional.
    public struct Objectives: Sendable, Equatable {
        public var readP99Ms: Double?
        public var writeP99Ms: Double?
        public var readP999Ms: Double?
        public var writeP999Ms: Double?
        /// P(a read started t ms after a write commits sees it) ≥ `atLeast`.
        public var consistency: [ConsistencyFloor] = []
        /// The t with P(consistent) ≥ p is at most `atMostMs`.
        public var tVisibility: TVisibilityCeiling?
        /// Fraction of client requests served under each failure ≥ `availability`.
        public var survive: [Survival] = []
        /// Acknowledged writes lost (simulator, confirmed candidates) ≤ this fraction.
        public var lostWritesAtMost: Double?

        public init() {}
    }

    public struct ConsistencyFloor: Sendable, Equatable {
        public var tMs: Double
        public var atLeast: Double
    }

    public struct TVisibilityCeiling: Sendable, Equatable {
        public var p: Double
        public var atMostMs: Double
    }

    public struct Survival: Sendable, Equatable {
        public var failure: Failure
        public var availability: Double
    }

    /// The axes; a candidate is one value of each.
    public struct SearchSpace: Sendable, Equatable {
        /// Allowed replica counts per datacenter (inclusive ranges).
        public var replicas: [ClosedRange<Int>]
        public var readLevels: [ConsistencyLevel]
        public var writeLevels: [ConsistencyLevel]
        public var readRepairs: [QuorumConfiguration.ReadRepair] = [.off]
        public var sloppy: [Bool] = [false]
        public var versionings: [Versioning] = [.lww]
    }

    public struct Evaluation: Sendable, Equatable {
        /// Monte Carlo trials for the first pass; candidates whose verdict the interval leaves open get 4× and 16×.
        public var trials: Int = 20_000
        /// How many of the best candidates the simulator confirms.
        public var confirm: Int = 3
        /// Operations per simulator run (one per failure and one healthy).
        public var confirmOperations: Int = 4_000
        public var seed: UInt64 = 1
    }
}

/// A failure the objectives name, from the clients' side in each datacenter.
public enum Failure: Sendable, Hashable, CustomStringConvertible {
    /// Any k replicas down (the worst k for the configuration).
    case anyNodes(Int)
    /// Every replica in the datacenter down; its clients are gone with it, the others count.
    case datacenterLost(String)
    /// The datacenter cut off from the rest: its clients reach only its replicas, the others every other replica.
    case datacenterPartitioned(String)

    /// `any 1 node`, `any 2 nodes`, `datacenter X lost`, `datacenter X partitioned` (`… from the rest`).
    public init?(parsing text: String) {
        let words = text.split(separator: " ").map(String.init)
        if words.count == 3, words[0] == "any", let k = Int(words[1]), k >= 1, words[2] == "node" || words[2] == "nodes" {
            self = .anyNodes(k)
        } else if words.count == 3, words[0] == "datacenter", words[2] == "lost" {
            self = .datacenterLost(words[1])
        } else if words.count >= 3, words[0] == "datacenter", words[2] == "partitioned",
                  words.count == 3 || words[3...] == ["from", "the", "rest"] {
            self = .datacenterPartitioned(words[1])
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .anyNodes(let k): "any \(k) node\(k == 1 ? "" : "s")"
        case .datacenterLost(let name): "datacenter \(name) lost"
        case .datacenterPartitioned(let name): "datacenter \(name) partitioned"
        }
    }

    public var datacenterName: String? {
        switch self {
        case .anyNodes: nil
        case .datacenterLost(let name), .datacenterPartitioned(let name): name
        }
    }
}

/// One point of the search space.
public struct Candidate: Sendable, Hashable {
    public var replicas: [Int]
    public var readLevel: ConsistencyLevel
    public var writeLevel: ConsistencyLevel
    public var readRepair: QuorumConfiguration.ReadRepair
    public var sloppy: Bool
    public var versioning: Versioning

    public var nodes: Int { replicas.reduce(0, +) }

    /// `3+3 R=LOCAL_QUORUM W=QUORUM` (repair, sloppy, versioning shown when not the defaults).
    public var label: String {
        var text = replicas.map(String.init).joined(separator: "+") + " R=\(readLevel) W=\(writeLevel)"
        if readRepair != .off { text += " repair=\(readRepair.rawValue)" }
        if sloppy { text += " sloppy" }
        if versioning != .lww { text += " \(versioning.rawValue)" }
        return text
    }
}
