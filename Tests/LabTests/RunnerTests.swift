import Foundation
import Testing
@testable import Experiments
@testable import Lab

@Suite struct RunnerTests {
    static let toyColumns = Columns(Column("size", "n"), Column("value_ns", "a value"))

    static func toy(rows: [Row]) -> Experiment {
        Experiment(
            name: "toy", summary: "a test experiment",
            parameters: [Parameter("size", "n") { $0 == .quick ? ["1"] : ["1", "2"] }],
            columns: toyColumns,
            steps: { _ in 1 },
            run: { context in
                context.progress.advance()
                return rows
            })
    }

    @Test func writesCSVAndMetadata() throws {
        let dir = try TemporaryDirectory()
        let out = dir.url.appendingPathComponent("nested/results")
        let options = RunOptions(scale: .quick, seed: 77, outputDirectory: out, commandLine: ["caplab", "run", "toy"])
        let outcomes = try Runner.run([Self.toy(rows: [Self.toyColumns.row("1", "2.5")])], options: options, log: { _ in })
        #expect(outcomes.count == 1)
        let csv = try String(contentsOf: out.appendingPathComponent("toy.csv"), encoding: .utf8)
        #expect(csv == "size,value_ns\n1,2.5\n")
        let data = try Data(contentsOf: out.appendingPathComponent("toy.meta.json"))
        let meta = try JSONDecoder().decode(RunMetadata.self, from: data)
        #expect(meta.seed == 77)
        #expect(meta.scale == "quick")
        #expect(meta.parameterGrid == ["size": ["1"]])
        #expect(meta.commandLine == ["caplab", "run", "toy"])
        #expect(meta.coreCount >= 1)
        #expect(meta.rows == 1)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        for key in ["git_commit", "swift_version", "cpu_model", "core_count", "date", "seed", "parameter_grid", "command_line"] {
            #expect(object?[key] != nil, "meta.json lacks \(key)")
        }
    }

    /// A row made by the experiment's own columns cannot have the wrong shape (that fails to
    /// compile); one made by another table is caught before anything is written.
    @Test func aRowFromAnotherTableFailsAndWritesNothing() throws {
        let dir = try TemporaryDirectory()
        let options = RunOptions(scale: .quick, outputDirectory: dir.url)
        let other = Columns(Column("size", "n"))
        #expect(throws: LabError.rowShape(experiment: "toy", row: 2, expected: 2, got: 1)) {
            try Runner.run([Self.toy(rows: [Self.toyColumns.row("1", "2"), other.row("3")])], options: options, log: { _ in })
        }
        // No result file; only the journal of the finished point (what --resume would replay).
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["toy.journal"])
    }

    @Test func unknownNamesAreRejectedBeforeAnythingRuns() {
        #expect(throws: LabError.unknownExperiment("nope", known: Registry.all.names)) {
            try Registry.all.resolve(["ring-lookup", "nope"])
        }
        #expect((try? Registry.all.resolve([]))?.count == Registry.all.experiments.count)
    }

    @Test func experimentNamesAndColumnsFollowTheConventions() {
        let snake = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/
        let kebab = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/
        for experiment in Registry.all.experiments {
            #expect(experiment.name.wholeMatch(of: kebab) != nil)
            #expect(Set(experiment.columns.map(\.name)).count == experiment.columns.count)
            for column in experiment.columns {
                #expect(column.name.wholeMatch(of: snake) != nil, "\(experiment.name): \(column.name)")
            }
            for name in experiment.summaryColumns {
                #expect(experiment.columns.contains { $0.name == name })
            }
        }
    }

    /// Every experiment has a plot script and its columns are documented in results/README.md.
    @Test func everyExperimentHasAPlotScriptAndDocumentedColumns() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("results/README.md"), encoding: .utf8)
        for experiment in Registry.all.experiments {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("plots-scripts/\(experiment.name).gp").path))
            #expect(readme.contains("## \(experiment.name)"), "results/README.md has no section for \(experiment.name)")
            for column in experiment.columns {
                #expect(readme.contains("`\(column.name)`"), "results/README.md does not document \(experiment.name).\(column.name)")
            }
        }
    }
}
