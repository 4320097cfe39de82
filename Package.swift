// swift-tools-version: 6.1
// CAPLab: a benchmark and performance laboratory for distributed-systems primitives.
// Module layout and dependency rules: see README.md ("Layout") and the architecture notes.

import PackageDescription

let package = Package(
    name: "CAPLab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "caplab", targets: ["caplab"]),
        .library(name: "Stats", targets: ["Stats"]),
        .library(name: "Hashing", targets: ["Hashing"]),
        .library(name: "HashRing", targets: ["HashRing"]),
        .library(name: "Lab", targets: ["Lab"]),
        .library(name: "Quorum", targets: ["Quorum"]),
        .library(name: "Workload", targets: ["Workload"]),
        .library(name: "Simulation", targets: ["Simulation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // Leaf utilities used by every area.
        .target(
            name: "Stats",
            dependencies: [.product(name: "Histogram", package: "hdrhistogram-swift")]
        ),
        .target(name: "Hashing"),

        // Primitives.
        .target(name: "HashRing", dependencies: ["Hashing"]),

        // Protocol cores (pure state machines), workloads, and the virtual-time runtime with the PBS model (issue 7).
        .target(name: "Quorum", dependencies: ["HashRing", "Hashing", "Stats"]),
        .target(name: "Workload", dependencies: ["Stats"]),
        .target(name: "Simulation", dependencies: ["Stats", "Quorum", "Workload", "HashRing"]),

        // Experiment registry, sweep runner, CSV + metadata, progress, plots.
        .target(name: "Lab", dependencies: [
            "Stats", "Hashing", "HashRing", "Simulation", "Quorum", "Workload",
            .product(name: "Yams", package: "Yams"),
        ]),

        // The command-line front end: argument parsing only.
        .executableTarget(
            name: "caplab",
            dependencies: ["Lab", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // Tests.
        .testTarget(name: "StatsTests", dependencies: ["Stats"]),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"]),
        .testTarget(name: "HashRingTests", dependencies: ["HashRing", "Hashing", "Stats"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Stats", "Quorum", "Workload", "HashRing"]),
        .testTarget(name: "QuorumTests", dependencies: ["Quorum", "HashRing", "Hashing"]),
        .testTarget(name: "WorkloadTests", dependencies: ["Workload", "Stats"]),
        .testTarget(name: "LabTests", dependencies: ["Lab", "Stats", "caplab"]),

        // Micro-benchmarks (package-benchmark): `swift package benchmark`.
        .executableTarget(
            name: "HashRingBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                "HashRing", "Hashing", "Stats",
            ],
            path: "Benchmarks/HashRingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "QuorumBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                "Quorum", "Simulation", "Stats", "Workload",
            ],
            path: "Benchmarks/QuorumBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
