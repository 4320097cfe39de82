import Foundation
import Lab

/// What `caplab compare` does, so the command only parses arguments: read
/// the files (with their samples sidecars), match configurations, judge
/// each pair under a ``ComparisonPolicy``, and report in any format with
/// an exit status for CI.
public struct CompareSession: Sendable {
    /// Which verdicts fail the comparison: `slower` exits 1 on a regression,
    /// `faster` exits 2 on an improvement (time for a new baseline), `any` both.
    public enum FailOn: String, Sendable, CaseIterable {
        case never, slower, faster, any
    }

    public var files: [String]
    /// Variant mode: the columns that name a variant and the reference variant's values.
    public var variants: (columns: [String], baseline: [String])?
    public var metric: String?
    public var ignore: [String] = []
    public var policy = ComparisonPolicy()
    public var failOn = FailOn.never
    public var format = VerdictReport.Format.text

    public init(files: [String]) { self.files = files }

    public func run(output: (String) -> Void, log: (String) -> Void) throws -> ExitStatus {
        let pairs: [Comparison], keys: [String], titles: (String, String)
        var notes: [String] = []
        if let variants {
            let all = try load(files[0])
            for column in variants.columns where !(all.first?.key.keys.contains(column) ?? false) {
                throw LabError.badInput(file: files[0], line: 1, problem: "no column '\(column)'")
            }
            let isBaseline = { (v: MeasuredValue) in zip(variants.columns, variants.baseline).allSatisfy { v.key[$0] == $1 } }
            let reference = all.filter(isBaseline)
            guard !reference.isEmpty else {
                throw LabError.badInput(file: files[0], line: nil, problem: "no row has \(variants.columns.joined(separator: ",")) = \(variants.baseline.joined(separator: ","))")
            }
            let matched = Comparison.match(old: reference, new: all.filter { !isBaseline($0) }, ignoring: Set(variants.columns + ignore))
            guard !matched.pairs.isEmpty else {
                throw LabError.badInput(file: files[0], line: nil, problem: "no variant row matches a baseline row; try --ignore with the columns that differ between variants")
            }
            if !matched.unmatched.isEmpty { log("caplab: note: \(matched.unmatched.count) values have no baseline row with the same other columns (try --ignore)") }
            pairs = matched.pairs
            keys = keyColumns(pairs).filter { !variants.columns.contains($0) }
            titles = (variants.baseline.joined(separator: ","), "variant")
        } else {
            guard FileManager.default.fileExists(atPath: files[0]) else {
                log("caplab: no baseline result at \(files[0])")
                return .missingBaseline
            }
            let old = try load(files[0]), new = try load(files[1])
            let matched = Comparison.match(old: old, new: new, ignoring: Set(ignore))
            guard !matched.pairs.isEmpty else {
                log("caplab: no configuration of \(files[1]) matches one of \(files[0])")
                return .missingBaseline
            }
            if !matched.unmatched.isEmpty { log("caplab: note: \(matched.unmatched.count) values in \(files[1]) have no match in \(files[0])") }
            notes = RunDifferences.between(URL(fileURLWithPath: files[0]), URL(fileURLWithPath: files[1]))
            pairs = matched.pairs
            keys = keyColumns(pairs)
            titles = ("old", "new")
        }
        for note in notes { log("caplab: warning: \(note)") }
        let report = self.report(pairs, keyColumns: keys, titles: titles, notes: notes)
        output(report.rendered(format))
        return report.exitStatus
    }

    func load(_ path: String) throws -> [MeasuredValue] {
        let values = try ResultFile.read(URL(fileURLWithPath: path))
        guard let metric else { return values }
        let chosen = values.filter { $0.metric == metric }
        if chosen.isEmpty {
            throw LabError.badInput(file: path, line: 1, problem: "no metric '\(metric)' (it has: \(Set(values.map(\.metric)).sorted().joined(separator: ", ")))")
        }
        return chosen
    }

    /// Columns that vary between the compared configurations, in a stable order.
    func keyColumns(_ pairs: [Comparison]) -> [String] {
        let all = Set(pairs.flatMap { $0.new.key.keys }).subtracting(ignore)
        return all.sorted().filter { column in Set(pairs.map { $0.new.key[column] ?? "" }).count > 1 || ["test", "measurement"].contains(column) }
    }

    func report(_ pairs: [Comparison], keyColumns: [String], titles: (old: String, new: String), notes: [String]) -> VerdictReport {
        let variantColumns = variants?.columns ?? []
        var columns = keyColumns
        if !variantColumns.isEmpty { columns.append(variantColumns.joined(separator: ",")) }
        columns += ["metric", titles.old, titles.new, "ratio", "test", "verdict"]
        let cases = pairs.map { pair -> VerdictReport.Case in
            let judgement = pair.judged(policy)
            var cells = keyColumns.map { pair.new.key[$0] ?? "" }
            if !variantColumns.isEmpty { cells.append(variantColumns.map { pair.new.key[$0] ?? "" }.joined(separator: ",")) }
            let test: String
            switch judgement.method {
            case .mannWhitney(let mw, let m, let n): test = String(format: "p=%.3g (U, n=%d/%d)", mw.p, m, n)
            case .intervals: test = String(format: "ci [%.3f, %.3f]", pair.ratioLow, pair.ratioHigh)
            }
            let word = pair.text(for: judgement.verdict)
            cells += [pair.new.metric, String(format: "%.4g", pair.old.median), String(format: "%.4g", pair.new.median),
                      String(format: "%.3fx", pair.ratio), test, word]
            let outcome: VerdictReport.Outcome = judgement.verdict == .worse ? .regression : (judgement.verdict == .better ? .improvement : .pass)
            let fails = (outcome == .regression && [.slower, .any].contains(failOn)) || (outcome == .improvement && [.faster, .any].contains(failOn))
            let name = (keyColumns.map { "\($0)=\(pair.new.key[$0] ?? "")" } + [pair.new.metric]).joined(separator: " ")
            return VerdictReport.Case(name: name, outcome: outcome, fails: fails, cells: cells,
                                      message: "\(name): \(word == "~" ? "no significant difference" : word) \(String(format: "%.3fx", pair.ratio)), \(test)")
        }
        let rule = String(format: "a difference counts at %g %% confidence and at least %g %% in size", policy.confidence * 100, policy.minEffect * 100)
        return VerdictReport(title: "caplab compare", columns: columns, cases: cases, notes: notes + [rule])
    }
}

/// Differences between the runs behind two result files that make a
/// comparison suspect, read from their `.meta.json` files.
public enum RunDifferences {
    public static func between(_ old: URL, _ new: URL) -> [String] {
        guard let a = metadata(besideCSV: old), let b = metadata(besideCSV: new) else { return [] }
        var notes: [String] = []
        if a.cpuModel != b.cpuModel || a.coreCount != b.coreCount {
            notes.append("the runs differ in machine (\(a.cpuModel) × \(a.coreCount) vs \(b.cpuModel) × \(b.coreCount))")
        }
        if a.swiftVersion != b.swiftVersion { notes.append("the runs differ in toolchain (\(a.swiftVersion) vs \(b.swiftVersion))") }
        if a.scale != b.scale { notes.append("the runs differ in scale (\(a.scale) vs \(b.scale))") }
        if a.gitCommit != b.gitCommit || a.gitDirty != b.gitDirty {
            notes.append("the runs differ in commit (\(a.gitCommit.prefix(10))\(a.gitDirty ? "+dirty" : "") vs \(b.gitCommit.prefix(10))\(b.gitDirty ? "+dirty" : ""))")
        }
        return notes
    }

    static func metadata(besideCSV csv: URL) -> RunMetadata? {
        let url = csv.deletingPathExtension().appendingPathExtension("meta.json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(RunMetadata.self, from: data)
    }
}
