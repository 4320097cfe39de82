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
        .library(name: "Simulation", targets: ["Simulation"]),
        .library(name: "Consistency", targets: ["Consistency"]),
        .library(name: "Threaded", targets: ["Threaded"]),
        .library(name: "Lab", targets: ["Lab"]),
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

        // Protocol cores (pure state machines), workloads, and the virtual-time runtime with the PBS model.
        .target(name: "Quorum", dependencies: ["HashRing", "Hashing", "Stats", "Clocks"]),
        .target(name: "Workload", dependencies: ["Stats"]),
        .target(name: "Simulation", dependencies: ["Stats", "Quorum", "Workload", "HashRing"]),
        // The linearizability checker and history formats; the real-time, multi-threaded runtime.
        .target(name: "Consistency"),
        .target(name: "Threaded", dependencies: ["Stats", "Quorum", "Workload", "HashRing", "Simulation", "Consistency"]),

        // Experiment registry, sweep runner, CSV + metadata, progress, plots.
        .target(
            name: "Lab",
            dependencies: [
                "Stats", "Hashing",
                "HashRing",
                "Clocks", "CClockMax",
                "RaftLog",
                "Merkle",
                "Quorum", "Workload", "Simulation",
                "Consistency", "Threaded", "GateKernel",
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // The command-line front end: argument parsing only.
        .executableTarget(
            name: "caplab",
            dependencies: ["Lab", "GateKernel", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // C peers of the hash-ring variants, and `make peers`, which times them against the Swift ones.
        .target(name: "CJump"),
        .target(name: "CMaglev"),
        .executableTarget(name: "ring-peers", dependencies: ["HashRing", "Hashing", "Stats", "CJump", "CMaglev"]),

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
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Stats", "Quorum", "Workload", "HashRing"]),
        .testTarget(name: "QuorumTests", dependencies: ["Quorum", "HashRing", "Hashing", "Clocks"]),
        .testTarget(name: "WorkloadTests", dependencies: ["Workload", "Stats"]),
        .testTarget(name: "ConsistencyTests", dependencies: ["Consistency", "Stats"]),
        .testTarget(name: "ThreadedTests", dependencies: ["Threaded", "Consistency", "Quorum", "Simulation", "Stats", "Workload"]),
        .testTarget(name: "LabTests", dependencies: ["Lab", "Stats", "caplab"]),

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
        benchmarkTarget("QuorumBenchmarks", ["Quorum", "Simulation", "Stats", "Workload"]),
        benchmarkTarget("ThreadedBenchmarks", ["Consistency", "Stats"]),
    ]
)
