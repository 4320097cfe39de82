import Foundation
import Stats

/// The journal of one experiment's run: one file per finished grid point
/// in `<out>/<experiment>.journal/`, written atomically (``AtomicFile``) the
/// moment the point finishes, holding its rows, the raw samples behind
/// them (for the samples sidecar) and its measuring time.
///
/// It is what makes a sweep survive: `caplab run --resume` runs the
/// experiment again and every point found here is replayed instead of
/// measured, so only what is missing is measured and the CSV is assembled
/// from exactly the rows an uninterrupted run would have written, in the
/// same order; `--shard I/N` measures only its points (``Shard``) and
/// leaves its journal as its product; `caplab merge` unites the shards'
/// journals and replays them all, measuring nothing.
///
/// Replaying relies on two properties every experiment has: its points come
/// in a deterministic order, and a point's random inputs come from
/// ``RunContext/rng(_:)`` labels, not from a stream shared with earlier
/// points — so skipping or replaying a point changes no other point.
/// An experiment that does not split itself into points
/// (``Experiment/pointwise`` false) is one point, `*`.
///
/// Cost: one small JSON file per point (rows and samples), one `fsync` each.
public final class RunJournal: @unchecked Sendable {
    /// What the journal may do with a point it does not hold.
    public enum Mode: Sendable, Equatable {
        /// Measure it (a fresh run or `--resume`).
        case measure
        /// Measure it if this shard owns it, else leave it out.
        case shard(Shard)
        /// Nothing may be measured: every point must be in the journal (`caplab merge`).
        case replay
    }

    struct Header: Codable, Equatable {
        var experiment: String
        var seed: UInt64
        var scale: String
    }

    struct Point: Codable {
        var key: String
        var rows: [[String]]
        var samples: [[Double]]
        var seconds: Double
    }

    public let directory: URL
    public let experiment: String
    public let mode: Mode
    /// Test hook standing in for a crash: throw ``LabError/interrupted`` before measuring one point more than this.
    let stopAfter: Int?
    private let lock = NSLock()
    private var position = 0
    private var inside = false
    public private(set) var measured = 0
    public private(set) var replayed = 0
    public private(set) var leftToOtherShards = 0
    /// Measuring time of every point in the CSV, journaled or new.
    public private(set) var seconds = 0.0

    public static func directory(for experiment: String, in output: URL) -> URL {
        output.appendingPathComponent("\(experiment).journal", isDirectory: true)
    }

    /// Opens the journal of `experiment` under `output`. With `keep` false
    /// (a fresh run) a journal left there is discarded; otherwise it must be
    /// one for the same seed and scale.
    public init(experiment: String, seed: UInt64, scale: Scale, output: URL, keep: Bool, mode: Mode, stopAfter: Int? = nil) throws {
        self.directory = RunJournal.directory(for: experiment, in: output)
        self.experiment = experiment
        self.mode = mode
        self.stopAfter = stopAfter
        let header = Header(experiment: experiment, seed: seed, scale: scale.rawValue)
        let headerURL = directory.appendingPathComponent("run.json")
        if !keep { try? FileManager.default.removeItem(at: directory) }
        if let data = try? Data(contentsOf: headerURL) {
            guard let found = try? JSONDecoder().decode(Header.self, from: data) else {
                throw LabError.badInput(file: headerURL.path, line: nil, problem: "not a journal header (expected experiment, seed, scale)")
            }
            guard found == header else {
                throw LabError.journalMismatch(
                    path: directory.path,
                    found: "seed \(found.seed), scale \(found.scale)", expected: "seed \(seed), scale \(scale.rawValue)")
            }
        } else {
            guard mode != .replay else { throw LabError.journalIncomplete(experiment: experiment, key: nil, path: directory.path) }
            try AtomicFile.ensureWritableDirectory(directory)
            try AtomicFile.write(try JSONEncoder().encode(header), to: headerURL)
        }
    }

    /// The seed and scale a journal directory was written for.
    public static func header(at directory: URL) throws -> (experiment: String, seed: UInt64, scale: Scale) {
        let url = directory.appendingPathComponent("run.json")
        guard let data = try? Data(contentsOf: url), let header = try? JSONDecoder().decode(Header.self, from: data),
              let scale = Scale(rawValue: header.scale) else {
            throw LabError.badInput(file: url.path, line: nil, problem: "expected a journal header with experiment, seed and scale")
        }
        return (header.experiment, header.seed, scale)
    }

    /// The file of the point `key`.
    static func fileName(_ key: String) -> String {
        "point-" + String(XXHashLabel.hash(key), radix: 16) + ".json"
    }

    /// The point files in `directory`.
    public static func pointFiles(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix("point-") && $0.hasSuffix(".json") }.sorted().map { directory.appendingPathComponent($0) }
    }

    func load(_ key: String) throws -> Point? {
        let url = directory.appendingPathComponent(RunJournal.fileName(key))
        guard let data = try? Data(contentsOf: url) else { return nil }
        guard let point = try? JSONDecoder().decode(Point.self, from: data), point.key == key else {
            throw LabError.badInput(file: url.path, line: nil, problem: "not the journal entry of grid point '\(key)' (remove the file to measure the point again)")
        }
        return point
    }

    /// The rows of the grid point `key`: replayed from the journal when it
    /// is there, else measured by `body` and journaled (or, in a shard
    /// that does not own the point, none).
    public func point(_ key: String, _ body: () throws -> [Row]) throws -> [Row] {
        lock.lock()
        precondition(!inside, "grid points of \(experiment) nest: '\(key)' inside another")
        let place = position
        position += 1
        inside = true
        lock.unlock()
        defer { lock.lock(); inside = false; lock.unlock() }

        if let stored = try load(key) {
            SampleRecorder.append(stored.samples)
            lock.lock(); replayed += 1; seconds += stored.seconds; lock.unlock()
            return stored.rows.map { Row(cells: $0) }
        }
        switch mode {
        case .replay:
            throw LabError.journalIncomplete(experiment: experiment, key: key, path: directory.path)
        case .shard(let shard) where !shard.owns(position: place, of: experiment):
            lock.lock(); leftToOtherShards += 1; lock.unlock()
            return []
        default:
            break
        }
        if let stopAfter, measured >= stopAfter { throw LabError.interrupted(experiment: experiment) }
        // The samples of this point alone, for its journal entry; the run's recording goes on around them.
        let before = SampleRecorder.stop()
        SampleRecorder.start()
        let start = monotonicNanoseconds()
        let rows: [Row]
        do {
            rows = try body()
        } catch {
            let mine = SampleRecorder.stop()
            SampleRecorder.start()
            SampleRecorder.append(before + mine)
            throw error
        }
        let elapsed = Double(monotonicNanoseconds() - start) / 1e9
        let mine = SampleRecorder.stop()
        SampleRecorder.start()
        SampleRecorder.append(before + mine)
        let entry = Point(key: key, rows: rows.map(\.cells), samples: mine, seconds: elapsed)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(entry), to: directory.appendingPathComponent(RunJournal.fileName(key)))
        lock.lock(); measured += 1; seconds += elapsed; lock.unlock()
        return rows
    }

    /// Removes the journal (once the CSV it fed is written).
    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
