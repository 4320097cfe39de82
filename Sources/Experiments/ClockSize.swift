import Clocks
import Lab
import Stats

/// `clock-size`: bytes of causality metadata on the wire per
/// representation, against the number of entries, the spacing of node ids
/// and the number of siblings a key holds.
///
/// Counters are drawn from the seeded stream below 2^20 (three-byte varints).
/// For the vector clocks and scalar clocks a key with `siblings` concurrent
/// values carries one clock per sibling, as in Dynamo; a DVVSet carries one
/// clock for all of them (value payloads are not counted; their length
/// prefixes are). The numbers are exact, not timed.
enum ClockSize {
    static let name = "clock-size"
    static let siblingCounts = [1, 4, 16]
    static let spacings = [1, 16]
    static let representations = ["dense", "sparse", "dictionary", "dvvset", "lamport", "hlc"]

    static let columns = Columns(
        Column("representation", "dense, sparse, dictionary, dvvset, lamport, hlc"),
        Column("entries", "non-zero counters per clock"),
        Column("node_spacing", "gap between consecutive node ids"),
        Column("siblings", "concurrent values held for the key"),
        Column("clock_bytes", "encoded bytes of all causality metadata for the key"),
        Column("bytes_per_entry", "clock_bytes / (entries × clocks carried)"),
    )

    static let experiment = Experiment(
        name: name,
        summary: "encoded bytes of causality metadata per representation against entries, node-id spacing and siblings",
        parameters: [
            Parameter("representation", "clock variant") { _ in representations },
            Parameter("entries", "non-zero counters per clock") { ClockRows.sizes($0).map(String.init) },
            Parameter("node_spacing", "node ids are 0, s, 2s, …") { _ in spacings.map(String.init) },
            Parameter("siblings", "concurrent values the key holds") { _ in siblingCounts.map(String.init) },
        ],
        columns: columns,
        summaryColumns: ["representation", "entries", "node_spacing", "siblings", "clock_bytes"],
        pointwise: true,
        steps: { scale in ClockRows.sizes(scale).count },
        run: run)

    static func run(_ context: RunContext) throws -> [Row] {
        var rows: [Row] = []
        for n in ClockRows.sizes(context.scale) {
            rows += try context.point("entries=\(n)") {
                var rows: [Row] = []
                var rng = context.rng("\(name)/\(n)")
                let counters = (0..<n).map { _ in 1 &+ rng.next() % (1 << 20) }
                for spacing in spacings {
                    let entries = (0..<n).map { (node: NodeID($0 * spacing), counter: counters[$0]) }
                    let wall = UInt64(1_763_700_000) * 1_000_000_000 &+ rng.next() % 1_000_000_000
                    for siblings in siblingCounts {
                        var dvv = DVVSet<Int>(entries: entries.map { .init(node: $0.node, counter: $0.counter, values: []) }, anonymous: [])
                        // `siblings` concurrent writes through node 0 with the same context.
                        dvv = DVVSet(entries: dvv.entries.enumerated().map { i, e in
                            i == 0 ? .init(node: e.node, counter: e.counter, values: Array(0..<siblings)) : e
                        }, anonymous: [])
                        let perClock: [String: (bytes: Int, clocks: Int)] = [
                            "dense": (DenseClock(entries: entries).encodedSize * siblings, siblings),
                            "sparse": (SparseClock(entries: entries).encodedSize * siblings, siblings),
                            "dictionary": (DictionaryClock(entries: entries).encodedSize * siblings, siblings),
                            "dvvset": (dvv.encodedSize(valueBytes: { _ in 0 }), 1),
                            "lamport": (LamportClock.encodedSize(counters.reduce(0, &+)) * siblings, siblings),
                            "hlc": (HybridLogicalClock.encodedSize(.init(wall: wall, logical: 3)) * siblings, siblings),
                        ]
                        for representation in representations {
                            let (bytes, clocks) = perClock[representation]!
                            let scalar = representation == "lamport" || representation == "hlc"
                            let perEntry = Double(bytes) / Double((scalar ? 1 : n) * clocks)
                            rows.append(columns.row(representation, String(n), String(spacing), String(siblings), String(bytes), Cell.fixed(perEntry, 2)))
                        }
                    }
                }
                context.progress.advance("entries=\(n)")
                return rows
            }
        }
        return rows
    }
}
