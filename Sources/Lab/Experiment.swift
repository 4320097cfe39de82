import Foundation
import Stats

/// How large a grid to run: `quick` for CI and smoke tests (well under a
/// minute for everything), `standard` for `make run` (minutes), `full` for
/// the orders-of-magnitude sweeps that take longer.
public enum Scale: String, Sendable, CaseIterable, Codable {
    case quick, standard, full
}

/// One axis of an experiment's parameter grid.
public struct Parameter: Sendable {
    public let name: String
    public let summary: String
    public let values: @Sendable (Scale) -> [String]

    public init(_ name: String, _ summary: String, values: @escaping @Sendable (Scale) -> [String]) {
        self.name = name
        self.summary = summary
        self.values = values
    }
}

/// What an experiment gets from the runner: the seed, the scale, and a way
/// to report progress. Randomness comes only from here.
public struct RunContext: Sendable {
    public let scale: Scale
    public let seed: UInt64
    public let progress: ProgressReporter
    /// Where the results go; experiments that need scratch files on the
    /// same filesystem (disk-sync measurements) create them below it.
    public var outputDirectory: URL? = nil
    /// Where finished grid points are journaled (``RunJournal``); nil outside `caplab run`.
    public var journal: RunJournal? = nil

    /// The rows of one grid point, `key` naming it uniquely within the
    /// experiment (`nodes=100`). Under `caplab run` the point is journaled
    /// when it finishes, replayed instead of measured on `--resume` and in
    /// `caplab merge`, and skipped in a shard that does not own it (then
    /// the result is no rows). The body must take its randomness from
    /// ``rng(_:)`` labels of its own, so skipping an earlier point changes
    /// nothing in it.
    public func point(_ key: String, _ body: () throws -> [Row]) throws -> [Row] {
        guard let journal else { return try body() }
        return try journal.point(key, body)
    }

    /// A generator for one named part of the experiment, independent of the
    /// order in which parts run: the same seed and label give the same stream.
    public func rng(_ label: String) -> Xoshiro256StarStar {
        var mix = SplitMix64(seed: seed ^ XXHashLabel.hash(label))
        return Xoshiro256StarStar(seed: mix.next())
    }
}

/// A named, parameterised measurement: a grid, its columns, a function from
/// the grid to result rows made from those columns, and the gnuplot script
/// `plots-scripts/<name>.gp` that draws its CSV.
public struct Experiment: Sendable {
    public let name: String
    public let summary: String
    public let parameters: [Parameter]
    public let columns: [ColumnInfo]
    /// The columns `caplab run` prints in its summary table (all when empty).
    public let summaryColumns: [String]
    /// Whether `run` splits itself into grid points with ``RunContext/point(_:_:)``
    /// and uses their rows as they come (no row rewritten from later points);
    /// otherwise the whole experiment is one point for resuming and sharding.
    public let pointwise: Bool
    /// Units of work reported to the progress bar, for a scale.
    public let steps: @Sendable (Scale) -> Int
    /// The rows of one run; each was made by the experiment's ``Columns``.
    public let run: @Sendable (RunContext) throws -> [Row]

    public init<each Value>(
        name: String, summary: String, parameters: [Parameter], columns: Columns<repeat each Value>,
        summaryColumns: [String] = [],
        pointwise: Bool = false,
        steps: @escaping @Sendable (Scale) -> Int,
        run: @escaping @Sendable (RunContext) throws -> [Row]
    ) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.columns = columns.infos
        self.summaryColumns = summaryColumns
        self.pointwise = pointwise
        self.steps = steps
        self.run = run
    }

    /// The columns whose cells are measured times (or rates from them), which
    /// two runs with the same seed may differ in; every other cell of a
    /// CSV is a function of the seed and scale. Declared per column
    /// (``Column/init(_:_:timing:)``).
    public var timingColumns: [String] { columns.filter(\.timing).map(\.name) }

    /// The parameter grid at a scale, as recorded in the metadata.
    public func grid(_ scale: Scale) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.values(scale)) })
    }
}
