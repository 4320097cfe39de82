import Foundation
import Testing
@testable import Experiments
@testable import Lab

/// `caplab run --resume`, `--shard I/N` and `caplab merge` on real
/// experiments: the CSV they produce must be the one an uninterrupted run
/// writes, byte for byte once the experiment's timing columns are blanked.
@Suite(.serialized) struct ResumeShardTests {
    /// Pointwise experiments with quick grids of several points: deterministic
    /// throughout (clock-size) and with a timing column (pacelc).
    static let experiments = ["clock-size", "pacelc"]

    static func experiment(_ name: String) throws -> Experiment {
        try #require(try Registry.all.resolve([name]).first)
    }

    static func options(_ out: URL, mode: RunMode = .fresh, seed: UInt64 = 3) -> RunOptions {
        var options = RunOptions(scale: .quick, seed: seed, outputDirectory: out, commandLine: ["caplab", "run"])
        options.mode = mode
        return options
    }

    /// The CSV with the cells of the experiment's timing columns emptied.
    static func withoutTiming(_ csv: URL, _ experiment: Experiment) throws -> String {
        let table = try #require(CSVTable.parse(try String(contentsOf: csv, encoding: .utf8)))
        let timing = Set(experiment.timingColumns)
        let rows = table.rows.map { row in zip(table.columns, row).map { timing.contains($0) ? "" : $1 } }
        return CSVTable(columns: table.columns, rows: rows).rendered()
    }

    static func hiddenLeftovers(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") || $0.contains(".tmp.") }
    }

    @Test func anInterruptedRunResumesToTheUninterruptedBytes() throws {
        let dir = try TemporaryDirectory()
        for name in Self.experiments {
            let experiment = try Self.experiment(name)
            let whole = dir.url.appendingPathComponent("whole-\(name)")
            _ = try Runner.run([experiment], options: Self.options(whole), log: { _ in })

            let stopped = dir.url.appendingPathComponent("stopped-\(name)")
            var options = Self.options(stopped)
            options.stopAfterPoints = 2
            #expect(throws: LabError.interrupted(experiment: name)) { try Runner.run([experiment], options: options, log: { _ in }) }
            // Two points journaled, no CSV that could pass for a result, no temporary file.
            let journal = RunJournal.directory(for: name, in: stopped)
            #expect(RunJournal.pointFiles(in: journal).count == 2)
            #expect(!FileManager.default.fileExists(atPath: stopped.appendingPathComponent("\(name).csv").path))
            #expect(try Self.hiddenLeftovers(stopped).isEmpty)

            var logged: [String] = []
            _ = try Runner.run([experiment], options: Self.options(stopped, mode: .resume), log: { logged.append($0) })
            #expect(logged.first?.contains("2 grid point(s) from the journal") == true, "\(logged)")
            let resumed = stopped.appendingPathComponent("\(name).csv")
            #expect(try Self.withoutTiming(resumed, experiment) == Self.withoutTiming(whole.appendingPathComponent("\(name).csv"), experiment))
            if experiment.timingColumns.isEmpty {
                #expect(try Data(contentsOf: resumed) == Data(contentsOf: whole.appendingPathComponent("\(name).csv")))
            }
            // A finished run leaves no journal; its meta file names the CSV's digest.
            #expect(!FileManager.default.fileExists(atPath: journal.path))
            let meta = try JSONDecoder().decode(RunMetadata.self, from: Data(contentsOf: stopped.appendingPathComponent("\(name).meta.json")))
            #expect(meta.matches(csv: try Data(contentsOf: resumed)))
            #expect(!meta.matches(csv: Data("size\n1\n".utf8)))
        }
    }

    @Test func threeShardsMergeToTheBytesOfOneRun() throws {
        let dir = try TemporaryDirectory()
        let experiments = try Self.experiments.map(Self.experiment)
        let whole = dir.url.appendingPathComponent("whole")
        _ = try Runner.run(experiments, options: Self.options(whole), log: { _ in })
        let shards = (1...3).map { dir.url.appendingPathComponent("shard-\($0)") }
        for (i, shard) in shards.enumerated() {
            _ = try Runner.run(experiments, options: Self.options(shard, mode: .shard(Shard(index: i + 1, count: 3))), log: { _ in })
            // A shard writes journals only, never a CSV.
            #expect(!FileManager.default.fileExists(atPath: shard.appendingPathComponent("clock-size.csv").path))
        }
        for experiment in experiments {
            // Every point measured by exactly one shard, each shard measuring some.
            let counts = shards.map { RunJournal.pointFiles(in: RunJournal.directory(for: experiment.name, in: $0)).count }
            let names = shards.flatMap { RunJournal.pointFiles(in: RunJournal.directory(for: experiment.name, in: $0)).map(\.lastPathComponent) }
            #expect(Set(names).count == names.count && counts.allSatisfy { $0 > 0 }, "\(experiment.name): \(counts)")
        }
        let merged = dir.url.appendingPathComponent("merged")
        _ = try Registry.all.merge([], shards: shards, output: merged, commandLine: ["caplab", "merge"])
        for experiment in experiments {
            let csv = merged.appendingPathComponent("\(experiment.name).csv")
            #expect(try Self.withoutTiming(csv, experiment) == Self.withoutTiming(whole.appendingPathComponent("\(experiment.name).csv"), experiment))
            // The timing cells are those the shards measured, not new ones: merging twice gives the same bytes.
            let again = dir.url.appendingPathComponent("again")
            _ = try Registry.all.merge([experiment.name], shards: shards, output: again, commandLine: ["caplab", "merge"])
            #expect(try Data(contentsOf: csv) == Data(contentsOf: again.appendingPathComponent("\(experiment.name).csv")))
        }
        #expect(try Self.hiddenLeftovers(merged).isEmpty)
    }

    @Test func mergingWithoutAShardNamesAMissingPoint() throws {
        let dir = try TemporaryDirectory()
        let experiment = try Self.experiment("clock-size")
        let shards = (1...3).map { dir.url.appendingPathComponent("shard-\($0)") }
        for (i, shard) in shards.enumerated() {
            _ = try Runner.run([experiment], options: Self.options(shard, mode: .shard(Shard(index: i + 1, count: 3))), log: { _ in })
        }
        let out = dir.url.appendingPathComponent("merged")
        do {
            _ = try Registry.all.merge(["clock-size"], shards: Array(shards.prefix(2)), output: out, commandLine: [])
            Issue.record("a merge with a shard missing succeeded")
        } catch LabError.journalIncomplete(let name, let key, _) {
            #expect(name == "clock-size" && key?.hasPrefix("entries=") == true)
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("clock-size.csv").path))
    }

    @Test func resumingWithAnotherSeedIsRefused() throws {
        let dir = try TemporaryDirectory()
        let experiment = try Self.experiment("clock-size")
        var options = Self.options(dir.url)
        options.stopAfterPoints = 1
        #expect(throws: LabError.interrupted(experiment: "clock-size")) { try Runner.run([experiment], options: options, log: { _ in }) }
        #expect(throws: LabError.journalMismatch(
            path: RunJournal.directory(for: "clock-size", in: dir.url).path, found: "seed 3, scale quick", expected: "seed 4, scale quick")) {
            try Runner.run([experiment], options: Self.options(dir.url, mode: .resume, seed: 4), log: { _ in })
        }
    }

    /// An experiment that does not split itself is one point: one shard runs it, the others do not.
    @Test func aWholeExperimentRunsInExactlyOneShard() throws {
        let dir = try TemporaryDirectory()
        let counter = Counter()
        let columns = Columns(Column("size", "n"))
        let toy = Experiment(name: "toy", summary: "", parameters: [], columns: columns, steps: { _ in 1 },
                             run: { _ in counter.increment(); return [columns.row("7")] })
        let shards = (1...4).map { dir.url.appendingPathComponent("s\($0)") }
        for (i, shard) in shards.enumerated() {
            _ = try Runner.run([toy], options: Self.options(shard, mode: .shard(Shard(index: i + 1, count: 4))), log: { _ in })
        }
        #expect(counter.value == 1)
        let owner = Shard.owner(position: 0, of: "toy", shards: 4)
        #expect(RunJournal.pointFiles(in: RunJournal.directory(for: "toy", in: shards[owner - 1])).count == 1)
        _ = try Runner.run([toy], options: Self.options(shards[owner - 1], mode: .merge), log: { _ in })
        #expect(try String(contentsOf: shards[owner - 1].appendingPathComponent("toy.csv"), encoding: .utf8) == "size\n7\n")
        #expect(counter.value == 1)
    }

    @Test func shardSpecifications() {
        #expect(Shard(parsing: "2/3") == Shard(index: 2, count: 3))
        for bad in ["0/3", "4/3", "1/0", "-1/2", "1", "a/b", "1/2/3", ""] { #expect(Shard(parsing: bad) == nil, "\(bad)") }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func increment() { lock.lock(); count += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    }
}

/// Writing results when the disk is full or a signal arrives.
@Suite struct AtomicWriteTests {
    @Test func aFullDiskIsNamedAsSuch() {
        // /dev/full fails every write with ENOSPC.
        #expect(AtomicFile.writeSynced(Data(repeating: 1, count: 10), to: "/dev/full") == String(cString: strerror(ENOSPC)))
    }

    @Test func aPairIsWrittenTogetherOrNotAtAll() throws {
        let dir = try TemporaryDirectory()
        let csv = dir.url.appendingPathComponent("x.csv")
        try AtomicFile.write("old\n", to: csv)
        // The second file cannot be written (its directory does not exist): the first must stay as it was.
        let meta = dir.url.appendingPathComponent("missing/x.meta.json")
        #expect(throws: LabError.self) { try AtomicFile.writeTogether([(Data("new\n".utf8), csv), (Data("{}".utf8), meta)]) }
        #expect(try String(contentsOf: csv, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["x.csv"])
        #expect(Interruption.tracked.allSatisfy { !$0.hasPrefix(dir.url.path) })
    }

    @Test func trackedScratchIsRemovedOnInterruption() throws {
        let dir = try TemporaryDirectory()
        let scratch = dir.url.appendingPathComponent(".raftlog-append-scratch-test")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        try Data(count: 4096).write(to: scratch.appendingPathComponent("segment"))
        Interruption.track(scratch)
        Interruption.removeTracked(under: dir.url.path)
        #expect(!FileManager.default.fileExists(atPath: scratch.path))
        #expect(!Interruption.tracked.contains(scratch.path))
    }
}
