import Foundation
import Lab

/// The gate's trend record: an append-only CSV with one line per kernel per
/// `gate baseline` or `gate check`, with the commit and the date, so a slow
/// creep of sub-tolerance changes shows over commits
/// (`caplab gate history --png FILE` draws it).
///
///     date,commit,kind,counter,kernel,instructions_per_op
public enum GateHistory {
    public static let columns = ["date", "commit", "kind", "counter", "kernel", "instructions_per_op"]

    public struct Entry: Sendable, Equatable {
        public let date: String
        public let commit: String
        public let kind: String
        public let counter: String
        public let kernel: String
        public let instructionsPerOp: Double
    }

    /// Appends one line per measured kernel; creates the file with its header.
    public static func append(kind: String, counter: InstructionCounter.Tool, measured: [(kernel: String, instructionsPerOp: Double)],
                              commit: String, date: Date = Date(), to url: URL) throws {
        try AtomicFile.ensureWritableDirectory(url.deletingLastPathComponent())
        // Milliseconds: `wide` tells runs apart by (date, commit, kind), and
        // two checks within one second (a fast kernel) must stay two runs.
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let stamp = formatter.string(from: date)
        var table = CSVTable(columns: columns)
        for (kernel, value) in measured { table.append([stamp, commit, kind, counter.rawValue, kernel, Cell.fixed(value, 2)]) }
        var text = table.rendered()
        if FileManager.default.fileExists(atPath: url.path) {
            text = String(text.drop { $0 != "\n" }.dropFirst())
        }
        guard let handle = FileHandle(forWritingAtPath: url.path) ?? {
            FileManager.default.createFile(atPath: url.path, contents: nil) ? FileHandle(forWritingAtPath: url.path) : nil
        }() else {
            throw LabError.outputNotWritable(path: url.path, reason: "cannot open the history file for appending")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    public static func read(_ url: URL) throws -> [Entry] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw LabError.badInput(file: url.path, line: nil, problem: "cannot read the gate history (it is written by `gate baseline` and `gate check`)")
        }
        guard let table = CSVTable.parse(text), table.columns == columns else {
            throw LabError.badInput(file: url.path, line: 1, problem: "expected a CSV with header `\(columns.joined(separator: ","))`")
        }
        return try table.rows.enumerated().map { index, row in
            guard let value = Double(row[5]) else {
                throw LabError.badInput(file: url.path, line: index + 2, problem: "instructions_per_op '\(row[5])' is not a number")
            }
            return Entry(date: row[0], commit: row[1], kind: row[2], counter: row[3], kernel: row[4], instructionsPerOp: value)
        }
    }

    /// One row per recorded run (same date, commit and kind), one column
    /// per kernel: what the plot draws and `gate history` prints.
    public static func wide(_ entries: [Entry]) -> CSVTable {
        let kernels = Array(Set(entries.map(\.kernel))).sorted()
        var runs: [[String]: [String: Double]] = [:]
        var order: [[String]] = []
        for e in entries {
            let id = [e.date, String(e.commit.prefix(7)), e.kind]
            if runs[id] == nil { order.append(id) }
            runs[id, default: [:]][e.kernel] = e.instructionsPerOp
        }
        var table = CSVTable(columns: ["run", "date", "commit", "kind"] + kernels)
        for (i, id) in order.enumerated() {
            table.append([String(i + 1)] + id + kernels.map { runs[id]![$0].map { Cell.fixed($0, 2) } ?? "" })
        }
        return table
    }

    /// Draws, per kernel, instructions per operation over the recorded runs
    /// (labelled by commit) as the change from its first record, so a creep
    /// of a few percent shows whatever the kernel's size; the key gives each
    /// kernel's first figure.
    public static func plot(_ entries: [Entry], to png: URL) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caplab-gate-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let table = relative(wide(entries))
        try AtomicFile.write(table.rendered(), to: directory.appendingPathComponent("gate-history.csv"))
        try AtomicFile.write(script(kernelColumns: table.columns.count - 4), to: directory.appendingPathComponent("gate-history.gp"))
        let drawn = try Plotter.plot("gate-history", scripts: directory, results: directory)
        try AtomicFile.ensureWritableDirectory(png.deletingLastPathComponent())
        try? FileManager.default.removeItem(at: png)
        try FileManager.default.moveItem(at: drawn, to: png)
    }

    /// The wide table with each kernel's values as percent change from its
    /// first recorded value, and that value in the column's name.
    static func relative(_ wide: CSVTable) -> CSVTable {
        var columns = wide.columns
        var firsts: [Int: Double] = [:]
        for c in 4..<columns.count {
            if let first = wide.rows.lazy.compactMap({ Double($0[c]) }).first {
                firsts[c] = first
                columns[c] += " (\(Cell.fixed(first, 2)) at first)"
            }
        }
        var table = CSVTable(columns: columns)
        for row in wide.rows {
            table.append(row.enumerated().map { c, cell in
                guard c >= 4, let value = Double(cell), let first = firsts[c], first > 0 else { return cell }
                return Cell.fixed((value / first - 1) * 100, 3)
            })
        }
        return table
    }

    static func script(kernelColumns: Int) -> String {
        """
        set terminal pngcairo size 1400,\(500 + 18 * kernelColumns) font ",10"
        set output png
        set datafile separator ","
        set title "Instructions per operation by kernel over gate runs (commit, kind): change since the first record"
        set ylabel "change in instructions / op since the first record (%)"
        set key outside right top
        set xtics rotate by -45
        set grid ytics
        set datafile missing ""
        plot for [i=5:\(4 + kernelColumns)] csv using 1:i:xtic(stringcolumn(3)." ".stringcolumn(4)) with linespoints title columnhead(i)

        """
    }
}
