import Foundation
import Lab
import Quorum
import Simulation
import Stats
import Workload

/// A what-if question as a readable YAML file (`Benchmarks/Scenarios/*.yaml`):
/// a cluster, a workload, a fault schedule, and a grid of N, R, W, latency
/// model, read repair, sloppy quorum, protocol and versioning; `caplab simulate FILE` runs every
/// combination in the simulator. This file is the model; reading it from
/// YAML, which checks every key and names the file, the key and what was
/// expected in an error, is in `Scenario+YAML.swift`.
public struct Scenario: Sendable {
    public struct Error: Swift.Error, CustomStringConvertible, Equatable {
        public let file: String
        public let key: String
        public let message: String
        /// Where in the file (1-based), when the YAML node marks tell.
        public var line: Int? = nil
        public var column: Int? = nil
        public var description: String {
            let place = line.map { ":\($0)" + (column.map { ":\($0)" } ?? "") } ?? ""
            return key.isEmpty ? "\(file)\(place): \(message)" : "\(file)\(place): \(key): \(message)"
        }
        /// Whether the file could not be read at all (exit 74, not 65).
        public var isUnreadable: Bool { key.isEmpty && message == "cannot read the file" }
    }

    public var name: String
    public var operations: Int
    public var quickOperations: Int
    public var seed: UInt64
    public var nodes: Int
    public var virtualNodes: Int
    public var clockSkewMs: Double
    public var timeoutMs: Double
    public var ns: [Int]
    public var rs: [Int]
    public var ws: [Int]
    public var models: [String]
    public var readRepairs: [QuorumConfiguration.ReadRepair]
    public var sloppy: [Bool]
    public var ratePerSecond: Double
    public var writeFraction: Double
    public var keys: Int
    public var keyDistribution: KeyDistribution.Kind
    public var clients: Int
    /// Closed-loop clients (each waits for its reply, then thinks) instead of open-loop arrivals.
    public var closedLoop: Bool
    public var thinkMs: Double
    public var loss: Double
    public var partitions: [NetworkModel.Partition]
    public var crashes: [NetworkModel.Crash]
    public var modelCatalog: LatencyModelCatalog
    /// Protocol cores to run (`grid.protocol`): dynamo over the R, W, repair, sloppy grid; abd once per model and N.
    public var protocols: [ReplicationProtocol] = [.dynamo]
    /// How the Dynamo core orders versions (`grid.versioning`): lww and/or vector-clocks (siblings).
    public var versionings: [Versioning] = [.lww]
    /// Every write is a get-then-put (`workload.read_before_write`): simulator only.
    public var readBeforeWrite = false
    /// Raft read modes, PreVote and CheckQuorum to sweep (`grid.read_mode`, `grid.pre_vote`, `grid.check_quorum`); raft only.
    public var raftReadModes: [RaftConfiguration.ReadMode] = [.readIndex]
    public var raftPreVote: [Bool] = [false]
    public var raftCheckQuorum: [Bool] = [false]
    /// The rest of the Raft options (`raft.election_timeout_ms`, `raft.heartbeat_ms`,
    /// `raft.max_clock_drift`, `raft.durability`, `raft.log_directory`).
    public var raft = RaftConfiguration()
    /// Each node's clock rate is off real time by a uniform draw in ±`clockDrift` (`cluster.clock_drift`; simulator only).
    public var clockDrift = 0.0
    /// Threads for `caplab stress` (`threads.clients`, `threads.replicas`).
    public var clientThreads = 2
    public var replicaThreads = 2
    /// Datacenters, replicas, clients and RTTs (`topology:`, read by ``TopologyReader``): one node per
    /// replica, delays by the topology's model, coordinators in the client's datacenter. Replaces
    /// `cluster.nodes` and `grid.model`.
    public var topology: Topology?
}
