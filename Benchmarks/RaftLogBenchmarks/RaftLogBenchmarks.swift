import Benchmark
import BenchmarkSupport
import Foundation
import RaftLog
import struct Stats.Xoshiro256StarStar

/// Raft log appends: one iteration is one append call.
/// - in-memory append of one 256-byte entry (capacity reserved: must not allocate);
/// - follower `appendEntries` whose last entry conflicts (truncate one, append one);
/// - WAL append with policy `none` (encode, CRC-32C, one pwrite; no sync);
/// - CRC-32C of 4 KiB (the WAL's checksum, software slicing-by-8).
let benchmarks: @Sendable () -> Void = {
    let configuration = LabBenchmark.configuration(maxIterations: 100_000)
    let zeroMalloc = LabBenchmark.configuration(mallocsPerIteration: 0, maxIterations: 100_000)

    var rng = Xoshiro256StarStar(seed: 2014)
    let payload = (0..<256).map { _ in UInt8(truncatingIfNeeded: rng.next()) }

    for entryBytes in [64, 256, 1024] {
        let bytes = Array(payload.prefix(entryBytes) + Array(repeating: 7, count: max(0, entryBytes - payload.count)))
        Benchmark("InMemoryLog-append-\(entryBytes)B", configuration: zeroMalloc) { benchmark in
            let iterations = benchmark.scaledIterations.count
            var log = InMemoryLog(reservingEntries: iterations + 1, bytes: (iterations + 1) * entryBytes)
            benchmark.startMeasurement()
            bytes.withUnsafeBytes { raw in
                for _ in benchmark.scaledIterations { blackHole(try! log.append(term: 1, payload: raw)) }
            }
            benchmark.stopMeasurement()
        }
    }

    Benchmark("appendEntries-conflicting-last-entry", configuration: configuration) { benchmark in
        var log = InMemoryLog()
        try! log.append((1...100).map { LogEntry(term: 1, index: UInt64($0), payload: payload) })
        var term: UInt64 = 1
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            term &+= 1
            let entries = [LogEntry(term: term, index: 100, payload: payload)]
            blackHole(try! log.appendEntries(prevLogIndex: 99, prevLogTerm: 1, entries: entries))
        }
        benchmark.stopMeasurement()
    }

    let block = (0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    Benchmark("CRC-32C-4KiB", configuration: zeroMalloc) { benchmark in
        block.withUnsafeBytes { raw in
            for _ in benchmark.scaledIterations { blackHole(CRC32C.checksum(raw)) }
        }
    }

    Benchmark("DurableLog-append-256B-policy-none", configuration: configuration) { benchmark in
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("raftlog-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var log = try! DurableLog(directory: dir, policy: .none)
        var batch = EntryBatch()
        batch.append(term: 1, payload: payload)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try! log.append(batch)) }
        benchmark.stopMeasurement()
    }
}
