// swift-tools-version: 6.1
// CAPLab: a benchmark and performance laboratory for distributed-systems primitives.
// Module layout and dependency rules: see README.md ("Layout") and the architecture notes.

import PackageDescription

/// A package-benchmark target at Benchmarks/<name> (`swift package benchmark`).
func benchmarkTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "benchmark"), "BenchmarkSupport"] + dependencies,
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "CAPLab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "caplab", targets: ["caplab"]),
        .executable(name: "ring-peers", targets: ["ring-peers"]),
        .library(name: "Stats", targets: ["Stats"]),
        .library(name: "Hashing", targets: ["Hashing"]),
        .library(name: "HashRing", targets: ["HashRing"]),
        .library(name: "Clocks", targets: ["Clocks"]),
        .library(name: "RaftLog", targets: ["RaftLog"]),
        .library(name: "Merkle", targets: ["Merkle"]),
        .library(name: "Quorum", targets: ["Quorum"]),
        .library(name: "Workload", targets: ["Workload"]),
        .library(name: "RuntimeSupport", targets: ["RuntimeSupport"]),
        .library(name: "Simulation", targets: ["Simulation"]),
        .library(name: "Consistency", targets: ["Consistency"]),
        .library(name: "Threaded", targets: ["Threaded"]),
        .library(name: "Engines", targets: ["Engines"]),
        .library(name: "Lab", targets: ["Lab"]),
        .library(name: "Experiments", targets: ["Experiments"]),
        .library(name: "Gate", targets: ["Gate"]),
        .library(name: "Compare", targets: ["Compare"]),
        .library(name: "Scenarios", targets: ["Scenarios"]),
        .library(name: "Tools", targets: ["Tools"]),
        // The few lines a Swift package needs to speak the gate's kernel protocol (no dependencies).
        .library(name: "GateKernel", targets: ["GateKernel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // Leaf utilities used by every area.
        .target(
            name: "Stats",
            dependencies: [.product(name: "Histogram", package: "hdrhistogram-swift")]
        ),
        .target(name: "Hashing"),
        // `PROGRAM --list-kernels` / `PROGRAM --kernel NAME --iterations K` for `caplab gate --program`.
        .target(name: "GateKernel"),

        // Primitives.
        .target(name: "HashRing", dependencies: ["Hashing", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Clocks"),
        // The C element-wise-max loop the clock experiments report Swift/C against.
        .target(name: "CClockMax"),
        .target(name: "RaftLog"),
        .target(name: "Merkle", dependencies: ["Hashing", .product(name: "Crypto", package: "swift-crypto")]),

        // Protocol cores (pure state machines) and workloads; the linearizability checker and history formats.
        .target(name: "Quorum", dependencies: ["HashRing", "Hashing", "Stats", "Clocks", "RaftLog"]),
        .target(name: "Workload", dependencies: ["Stats"]),
        .target(name: "Consistency"),
        // What both runtimes share: the core registry, network model, consistency judge, results, history recording.
        .target(name: "RuntimeSupport", dependencies: ["Quorum", "Stats", "Consistency"]),
        // The virtual-time runtime with the PBS model; the real-time, multi-threaded runtime.
        .target(name: "Simulation", dependencies: ["Stats", "Quorum", "Workload", "HashRing", "RuntimeSupport", "Consistency"]),
        .target(name: "Threaded", dependencies: ["Stats", "Quorum", "Workload", "HashRing", "RuntimeSupport", "Consistency"]),

        // Real etcd and Redis clusters on namespace hosts, driven with the lab's workloads and judged like the model.
        .target(name: "Engines", dependencies: ["Stats", "Workload", "Quorum", "RuntimeSupport", "Consistency", .product(name: "Yams", package: "Yams")]),

        // The experiment framework: Experiment and its typed columns, registry, sweep runner,
        // CSV + metadata, progress, plots, atomic files. Links no area.
        .target(name: "Lab", dependencies: ["Stats", "Hashing"]),
        // The experiments, one file each, and the list `caplab run` knows (Registry.all).
        .target(
            name: "Experiments",
            dependencies: [
                "Lab", "Stats", "Hashing",
                "HashRing",
                "Clocks", "CClockMax",
                "RaftLog",
                "Merkle",
                "Quorum", "Workload", "RuntimeSupport", "Simulation",
                "Consistency", "Threaded", "Engines",
                // plan-frontier: the capacity planner (caplab plan) on the shipped example plan.
                "Scenarios",
            ]
        ),
        // The instruction-count regression gate and the kernels it counts (they reuse the clock experiments' pairs).
        .target(
            name: "Gate",
            dependencies: [
                "Lab", "Experiments", "Stats", "Hashing", "HashRing", "Clocks", "RaftLog", "Merkle",
                "Quorum", "Workload", "RuntimeSupport", "Simulation", "Consistency", "GateKernel",
            ]
        ),
        // `caplab compare`: benchstat-style comparison of result files.
        .target(name: "Compare", dependencies: ["Lab"]),
        // Scenario files: the model, its YAML reader, and the simulate and stress back-ends (Yams: here and in Engines).
        .target(
            name: "Scenarios",
            dependencies: [
                "Lab", "Stats", "Quorum", "Workload", "RuntimeSupport", "Simulation", "Consistency", "Threaded",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // One-question tools behind `caplab pbs`, `caplab ring` and `caplab check`.
        .target(name: "Tools", dependencies: ["Lab", "Stats", "Hashing", "HashRing", "Simulation", "Consistency", "RaftLog"]),

        // The command-line front end: argument parsing only.
        .executableTarget(
            name: "caplab",
            dependencies: [
                "Lab", "Experiments", "Gate", "Compare", "Scenarios", "Tools", "Engines", "GateKernel", "Consistency",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // C peers of the hash-ring variants, and `make peers`, which times them against the Swift ones.
        .target(name: "CJump"),
        .target(name: "CMaglev"),
        .executableTarget(name: "ring-peers", dependencies: ["HashRing", "Hashing", "Stats", "CJump", "CMaglev"]),

        // `make fuzz`: a seeded random-mutation fuzzer with a target per input parser.
        .executableTarget(name: "caplab-fuzz", dependencies: ["Stats", "Lab", "Compare", "Consistency", "RaftLog", "Scenarios", "Tools"]),

        // Test helper: appends to a DurableLog with policy fsync and prints each acknowledged index.
        .executableTarget(name: "raftlog-crash-writer", dependencies: ["RaftLog"]),

        // Tests.
        .testTarget(name: "StatsTests", dependencies: ["Stats"]),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"]),
        .testTarget(name: "HashRingTests", dependencies: ["HashRing", "Hashing", "Stats"], exclude: ["Fixtures"]),
        .testTarget(name: "ClocksTests", dependencies: ["Clocks", "Stats"]),
        // The crash test runs raftlog-crash-writer as a child process and SIGKILLs it.
        .testTarget(name: "RaftLogTests", dependencies: ["RaftLog", "Stats", "raftlog-crash-writer"]),
        .testTarget(name: "MerkleTests", dependencies: ["Merkle", "Hashing", "Stats"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "RuntimeSupport", "Stats", "Quorum", "Workload", "HashRing", "Consistency"]),
        // Every registered core through both runtimes.
        .testTarget(name: "RuntimeSupportTests", dependencies: ["RuntimeSupport", "Simulation", "Threaded", "Quorum", "Consistency", "Stats", "Workload"]),
        // The Raft scripts run the invariant checker (Simulation) after every step.
        .testTarget(name: "QuorumTests", dependencies: ["Quorum", "HashRing", "Hashing", "Clocks", "RaftLog", "Stats", "Simulation"], exclude: ["testdata"]),
        .testTarget(name: "WorkloadTests", dependencies: ["Workload", "Stats"]),
        .testTarget(name: "ConsistencyTests", dependencies: ["Consistency", "Stats"], exclude: ["Fixtures"]),
        .testTarget(name: "ThreadedTests", dependencies: ["Threaded", "RuntimeSupport", "Consistency", "Quorum", "Stats", "Workload"]),
        // Real servers: skipped with a printed reason where they cannot be installed.
        .testTarget(name: "EnginesTests", dependencies: ["Engines", "Consistency", "Stats"]),
        .testTarget(name: "LabTests", dependencies: ["Lab", "Experiments", "Gate", "Compare", "Scenarios", "Tools", "Stats", "caplab"]),

        // Micro-benchmarks (package-benchmark), sharing one configuration.
        .target(
            name: "BenchmarkSupport",
            dependencies: [.product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/BenchmarkSupport"
        ),
        benchmarkTarget("HashRingBenchmarks", ["HashRing", "Hashing", "Stats"]),
        benchmarkTarget("ClockBenchmarks", ["Clocks", "Stats"]),
        benchmarkTarget("RaftLogBenchmarks", ["RaftLog", "Stats"]),
        benchmarkTarget("MerkleBenchmarks", ["Merkle", "Hashing", "Stats"]),
        benchmarkTarget("QuorumBenchmarks", ["Quorum", "RuntimeSupport", "Simulation", "Stats", "Workload"]),
        benchmarkTarget("ThreadedBenchmarks", ["Consistency", "Stats"]),
    ]
)
