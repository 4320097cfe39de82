import Foundation
import Lab
import Quorum
import Simulation
import Stats
import Threaded
import Workload

/// `allocator`: throughput and p99 latency of the threaded runtime against
/// the number of client threads, with the system allocator (glibc malloc)
/// and with jemalloc (Evans, "A Scalable Concurrent malloc(3)
/// Implementation for FreeBSD", BSDCan 2006) preloaded from Debian's
/// libjemalloc2. Each run is a child process (`caplab allocator-worker`)
/// so the allocator is chosen per run; with jemalloc the child reports its
/// `mallctl` statistics.
enum Allocator {
    static let name = "allocator"
    static let allocators = ["system", "jemalloc"]
    /// LD_PRELOAD takes a bare soname and searches the linker's path for it.
    static let jemallocLibrary = "libjemalloc.so.2"

    static func clientThreads(_ scale: Scale) -> [Int] { scale == .quick ? [1, 2] : [1, 2, 4, 8] }
    static func samples(_ scale: Scale) -> Int { scale == .quick ? 1 : scale == .standard ? 3 : 5 }
    static func operations(_ scale: Scale) -> Int { scale == .quick ? 5_000 : scale == .standard ? 30_000 : 200_000 }
    /// Offered load: above what two cores complete, so throughput is the runtime's, not the arrival rate.
    static let ratePerSecond = 200_000.0

    static let columns = Columns(
        Column("allocator", "system or jemalloc"),
        Column("allocator_version", "jemalloc's version from mallctl; empty for the system allocator"),
        Column("client_threads", "client threads"),
        Column("replica_threads", "replica threads"),
        Column("samples", "child runs"),
        Column("throughput_ops_s_median", "completed operations per wall-clock second, median over samples"),
        Column("throughput_ops_s_min", "slowest sample"),
        Column("throughput_ops_s_max", "fastest sample"),
        Column("p99_ms_median", "p99 latency over reads and writes, from intended start, median over samples"),
        Column("p99_ms_min", "smallest p99 over samples"),
        Column("p99_ms_max", "largest p99 over samples"),
        Column("allocated_bytes", "jemalloc stats.allocated at the end of the last sample; empty for the system allocator"),
        Column("resident_bytes", "jemalloc stats.resident at the end of the last sample; empty for the system allocator"),
        Column("peak_rss_bytes", "child's peak resident set (VmHWM), last sample"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "threaded-runtime throughput and p99 per client-thread count, system malloc against jemalloc (LD_PRELOAD, child process)",
        parameters: [
            Parameter("allocator", "system (glibc) or jemalloc (LD_PRELOAD libjemalloc.so.2)") { _ in allocators },
            Parameter("client_threads", "open-loop client threads") { clientThreads($0).map(String.init) },
            Parameter("samples", "child runs per point, interleaved across allocators") { [String(samples($0))] },
            Parameter("operations", "operations per run (Dynamo N=3 R=W=2, lnkd-ssd, 200 000 ops/s offered)") { [String(operations($0))] },
        ],
        columns: columns,
        summaryColumns: ["allocator", "client_threads", "throughput_ops_s_median", "p99_ms_median", "allocated_bytes", "resident_bytes"],
        steps: { scale in allocators.count * clientThreads(scale).count * samples(scale) },
        run: run)

    struct Sample {
        var throughput: Double
        var p99Ms: Double
        var version: String
        var allocated: String
        var resident: String
        var peakRSS: String
    }

    static func run(_ context: RunContext) throws -> [Row] {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        guard executable.lastPathComponent == "caplab" else {
            throw LabError.experimentFailed(name, "runs its samples as `caplab allocator-worker` child processes; run it from caplab")
        }
        var rows: [Row] = []
        for clients in clientThreads(context.scale) {
            var results: [String: [Sample]] = [:]
            for s in 0..<samples(context.scale) {
                // Alternate which allocator goes first, so drift in machine load hits both alike.
                let order = s % 2 == 0 ? allocators : allocators.reversed()
                for allocator in order {
                    var rng = context.rng("\(name)/\(clients)/\(s)")
                    let sample = try child(executable, allocator: allocator, clients: clients, operations: operations(context.scale), seed: rng.next())
                    results[allocator, default: []].append(sample)
                    context.progress.advance("\(allocator) \(clients) client threads sample \(s + 1)")
                }
            }
            for allocator in allocators {
                let list = results[allocator]!
                let throughput = Summary(list.map(\.throughput))
                let p99 = Summary(list.map(\.p99Ms))
                let last = list.last!
                rows.append(columns.row(allocator, last.version, String(clients), "2", String(list.count),
                             Cell.fixed(throughput.median, 0), Cell.fixed(throughput.min, 0), Cell.fixed(throughput.max, 0),
                             Cell.fixed(p99.median, 3), Cell.fixed(p99.min, 3), Cell.fixed(p99.max, 3),
                             last.allocated, last.resident, last.peakRSS))
            }
        }
        return rows
    }

    static func child(_ executable: URL, allocator: String, clients: Int, operations: Int, seed: UInt64) throws -> Sample {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["allocator-worker", "--client-threads", String(clients), "--operations", String(operations), "--seed", String(seed)]
        var environment = ProcessInfo.processInfo.environment
        environment["LD_PRELOAD"] = allocator == "jemalloc" ? jemallocLibrary : nil
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fields = output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard process.terminationStatus == 0, fields.count == 6, let throughput = Double(fields[0]), let p99 = Double(fields[1]) else {
            throw LabError.experimentFailed(name, "allocator-worker (\(allocator)) failed: status \(process.terminationStatus): \(errors)\(output)")
        }
        if allocator == "jemalloc" && fields[2].isEmpty {
            throw LabError.experimentFailed(name, "jemalloc was not loaded (LD_PRELOAD=\(jemallocLibrary)); install libjemalloc2 (make deps)")
        }
        return Sample(throughput: throughput, p99Ms: p99, version: fields[2], allocated: fields[3], resident: fields[4], peakRSS: fields[5])
    }
}

/// The child side of `allocator`: one threaded run, one CSV line on stdout:
/// throughput_ops_s, p99_ms, jemalloc version, allocated bytes, resident bytes, peak RSS bytes.
public enum AllocatorWorker {
    public static func run(clientThreads: Int, operations: Int, seed: UInt64) throws -> String {
        var rng = Xoshiro256StarStar(seed: seed)
        let model = try LatencyModelCatalog.bundled.model(named: "lnkd-ssd")
        let setup = ThreadedCluster.Setup(nodeCount: 6, quorum: QuorumConfiguration(n: 3, r: 2, w: 2, timeoutNanoseconds: 1_000_000_000),
                                          network: NetworkModel(model: model, nodeCount: 6), replicaThreads: 2, clientThreads: clientThreads)
        let stream = OperationStream(ratePerSecond: Allocator.ratePerSecond, writeFraction: 0.5,
                                     keys: KeyDistribution(.zipfian(theta: 0.99), keyCount: 10_000), clients: 64, rng: rng.split())
        let result = ThreadedCluster(setup).run(stream, operations: operations, seed: rng.next())
        var all = result.simulation.reads
        all.merge(result.simulation.writes)
        let stats = AllocatorStats.jemalloc()
        return [Cell.fixed(result.operationsPerSecond, 1), Cell.fixed(Double(all.value(atPercentile: 99)) / 1e6, 3),
                stats?.version ?? "", stats.map { String($0.allocated) } ?? "", stats.map { String($0.resident) } ?? "",
                AllocatorStats.peakResidentBytes().map(String.init) ?? ""].joined(separator: ",")
    }
}
