import CClockMax
import Clocks
import Lab
import Stats

/// The clock pairs and timing harness shared by `clock-merge` and
/// `clock-compare`.
///
/// A pair is two clocks with `entries` non-zero counters each on nodes
/// 0..<entries. A fraction of the entries differ: for each differing
/// position a coin decides whether `b` has a fresh random counter for the
/// same node (so either side may be larger: the pair is concurrent) or has
/// heard from a node `a` has not (ids from `entries` upwards), which makes a
/// sparse merge insert. Every variant, and the C loop over the dense
/// layout, gets the same pair.
public struct ClockPair {
    public let a: [(node: NodeID, counter: UInt64)]
    public let b: [(node: NodeID, counter: UInt64)]
    /// Node slots of the dense layout: the highest node id in either clock + 1.
    public let unionLength: Int

    public init(entries n: Int, differFraction: Double, rng: inout Xoshiro256StarStar) {
        let counters = (0..<n).map { _ in 1 &+ rng.next() % 1_000_000 }
        var b = (0..<n).map { (node: NodeID($0), counter: counters[$0]) }
        let differing = Swift.max(1, Int((differFraction * Double(n)).rounded()))
        // Partial Fisher–Yates: the first `differing` positions of a random permutation.
        var positions = Array(0..<n)
        for i in 0..<differing {
            let j = i + Int(rng.next() % UInt64(n - i))
            positions.swapAt(i, j)
        }
        var newNode = NodeID(n)
        for position in positions.prefix(differing) {
            if rng.next() & 1 == 0 {
                var fresh = 1 &+ rng.next() % 1_000_000
                if fresh == counters[position] { fresh &+= 1 }
                b[position].counter = fresh
            } else {
                b[position] = (newNode, 1 &+ rng.next() % 1_000_000)
                newNode &+= 1
            }
        }
        self.a = (0..<n).map { (NodeID($0), counters[$0]) }
        self.b = b.sorted { $0.node < $1.node }
        self.unionLength = Int(newNode)
    }

    /// `entries` as counters indexed by node, zero-padded to the union.
    func denseCounters(_ entries: [(node: NodeID, counter: UInt64)]) -> ContiguousArray<UInt64> {
        var counters = ContiguousArray<UInt64>(repeating: 0, count: unionLength)
        for (node, counter) in entries { counters[Int(node)] = counter }
        return counters
    }
}

/// One measured thing at one grid point: a representation and how to time one sample of it.
struct ClockVariant {
    let representation: String
    /// Times one sample and returns ns per operation.
    let measure: () -> Double
}

/// What one grid point of a clock experiment reports for one variant.
enum ClockRows {
    static let sizes: [Int] = [3, 8, 64, 256, 1_024, 4_096]
    static let differPercents: [Int] = [1, 10, 100]
    static func differPercents(_ scale: Scale) -> [Int] { differPercents }
    static func sizes(_ scale: Scale) -> [Int] {
        scale == .full ? sizes + [16_384, 65_536] : sizes
    }
    /// Counter slots processed per sample (operations × entries), so every size gets a comparable sample length.
    static func entriesPerSample(_ scale: Scale) -> Int { scale == .quick ? 1 << 14 : 1 << 18 }
    static func samples(_ scale: Scale) -> Int { scale == .quick ? 3 : 21 }
    static let cLoop = "c-loop"

    static func parameters(_ operation: String) -> [Parameter] {
        [
            Parameter("representation", "clock variant, plus the C element-wise loop") { _ in
                [DenseClock.representation, SparseClock.representation, DictionaryClock.representation, cLoop]
            },
            Parameter("entries", "non-zero counters per clock") { sizes($0).map(String.init) },
            Parameter("differ_percent", "share of entries that differ between the two clocks") { differPercents($0).map(String.init) },
            Parameter("entries_per_sample", "counter slots \(operation)d per timed sample") { [String(entriesPerSample($0))] },
            Parameter("samples", "timed samples per variant, interleaved") { [String(samples($0))] },
        ]
    }

    /// The 13 columns of a clock-operation experiment, `operation` naming the timed ones.
    typealias Table = Columns<String, String, String, String, String, String, String, String, String, String, String, String, String>

    static func columns(_ operation: String, _ what: String) -> Table {
        Columns(
            Column("representation", "dense, sparse, dictionary, or c-loop (the C element-wise loop over the dense layout)"),
            Column("entries", "non-zero counters per clock"),
            Column("differ_percent", "share of entries that differ between the two clocks"),
            Column("union_entries", "node slots of the dense layout (highest node id + 1)"),
            Column("operations", "\(operation)s per sample"),
            Column("samples", "timed samples"),
            Column("\(operation)_ns_median", "median ns per \(what)"),
            Column("\(operation)_ns_min", "fastest sample, ns per \(operation)"),
            Column("\(operation)_ns_max", "slowest sample, ns per \(operation)"),
            Column("\(operation)_ns_ci_low", "95 % confidence interval for the median, low end"),
            Column("\(operation)_ns_ci_high", "95 % confidence interval for the median, high end"),
            Column("ns_per_slot_median", "median ns divided by union_entries"),
            Column("c_loop_ratio", "this variant's median over the C loop's median at the same point"),
        )
    }

    /// A clock-operation experiment: the shared grid and columns, `operation` naming the timed columns.
    static func experiment(
        name: String, operation: String, summary: String, what: String,
        variants: @escaping @Sendable (ClockPair, Int) -> [ClockVariant]
    ) -> Experiment {
        let columns = columns(operation, what)
        return Experiment(
            name: name,
            summary: summary,
            parameters: parameters(operation),
            columns: columns,
            summaryColumns: ["representation", "entries", "differ_percent", "\(operation)_ns_median",
                             "\(operation)_ns_min", "\(operation)_ns_max", "c_loop_ratio"],
            steps: { scale in sizes(scale).count * differPercents(scale).count * samples(scale) },
            run: { context in run(context, experiment: name, columns: columns, variants: variants) })
    }

    /// Runs every grid point: variants measured in interleaved, rotating rounds.
    static func run(
        _ context: RunContext, experiment: String, columns: Table,
        variants: (ClockPair, Int) -> [ClockVariant]
    ) -> [Row] {
        var rows: [Row] = []
        let sampleCount = samples(context.scale)
        for n in sizes(context.scale) {
            for percent in differPercents(context.scale) {
                var rng = context.rng("\(experiment)/pair/\(n)/\(percent)")
                let pair = ClockPair(entries: n, differFraction: Double(percent) / 100, rng: &rng)
                let operations = Swift.max(4, entriesPerSample(context.scale) / pair.unionLength)
                let variants = variants(pair, operations)
                var times = Array(repeating: [Double](), count: variants.count)
                for variant in variants { _ = variant.measure() }  // warm-up: page in, grow scratch storage
                for round in 0..<sampleCount {
                    for offset in 0..<variants.count {
                        let i = (round + offset) % variants.count
                        times[i].append(variants[i].measure())
                    }
                    context.progress.advance("n=\(n) differ=\(percent)% round \(round + 1)/\(sampleCount)")
                }
                let summaries = times.map { Summary($0) }
                let cMedian = zip(variants, summaries).first { $0.0.representation == cLoop }?.1.median ?? .nan
                for (variant, s) in zip(variants, summaries) {
                    rows.append(columns.row(
                        variant.representation, String(n), String(percent), String(pair.unionLength),
                        String(operations), String(sampleCount),
                        Cell.fixed(s.median), Cell.fixed(s.min), Cell.fixed(s.max), Cell.fixed(s.ciLow), Cell.fixed(s.ciHigh),
                        Cell.fixed(s.median / Double(pair.unionLength), 4),
                        Cell.fixed(s.median / cMedian, 3),
                    ))
                }
            }
        }
        return rows
    }
}
