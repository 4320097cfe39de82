import Foundation
import Testing
@testable import Stats

@Suite struct LatencyModelTests {
    @Test func bundledPresetsAreThePapersModels() throws {
        let catalog = LatencyModelCatalog.bundled
        #expect(catalog.names == ["lnkd-disk", "lnkd-ssd", "wan", "ymmr"])
        let ssd = try catalog.model(named: "lnkd-ssd")
        // Sanity facts the data file gives (Bailis et al. Table 3; LinkedIn's measured means).
        #expect(abs(ssd.write.mean - 0.291) < 0.0005)
        #expect(abs(ssd.write.mean + ssd.writeAck.mean - 0.58) < 0.005)
        let disk = try catalog.model(named: "lnkd-disk")
        #expect(abs(disk.write.mean + disk.writeAck.mean - 4.86) < 0.005)
        #expect(disk.read == ssd.write && disk.readResponse == ssd.write)
        let ymmr = try catalog.model(named: "ymmr")
        #expect(ymmr.write.components[0].family == .pareto(scale: 3, shape: 3.5))
        #expect(ymmr.read == ymmr.writeAck && ymmr.readResponse == ymmr.writeAck)
        let wan = try catalog.model(named: "wan")
        #expect(wan.remoteDelayMs == 75 && wan.write == disk.write && wan.read == disk.read)
    }

    /// The compiled-in copy is the shared data file, when that is beside the checkout.
    @Test func bundledCopyMatchesTheSharedDataFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shared = root.deletingLastPathComponent().appendingPathComponent("shared/data/latency-models.json")
        guard let data = FileManager.default.contents(atPath: shared.path) else { return }
        #expect(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            == LatencyModelCatalog.bundledJSON.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func userModelsWithEveryFamilyAndAnEmpiricalCSV() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caplab-models-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("percentile,ms\n50,1\n99,4\n".utf8).write(to: dir.appendingPathComponent("rtt.csv"))
        let json = """
            {"models": {"mine": {"W": {"log_normal": {"mu": 0, "sigma": 0.5}}, "A": {"uniform": {"low": 0, "high": 2}},
                                 "R": {"empirical": {"csv": "rtt.csv"}}, "S": [{"weight": 1, "constant": {"ms": 0.5}}]},
                        "far": {"base": "mine", "remote_delay_ms": 40}}}
            """
        let file = dir.appendingPathComponent("m.json")
        try Data(json.utf8).write(to: file)
        let catalog = try LatencyModelCatalog.load(path: file.path)
        let mine = try catalog.model(named: "mine")
        #expect(mine.writeAck.mean == 1 && mine.readResponse.mean == 0.5 && mine.read.quantile(0.99) == 4)
        #expect(try catalog.model(named: "far").remoteDelayMs == 40)
    }

    @Test func errorsNameTheFileAndKey() {
        func message(_ json: String) -> String {
            do { _ = try LatencyModelCatalog(json: Data(json.utf8), source: "m.json"); return "" } catch { return "\(error)" }
        }
        #expect(message("{}") == "m.json: models: expected an object of named models at the top level")
        #expect(message(#"{"models": {"x": {"W": [{"weight": 1, "pareto": {"xm": -1, "alpha": 2}}], "A": "same as W", "R": "same as W", "S": "same as W"}}}"#)
            == "m.json: models.x.W[0].pareto.xm: expected a number > 0")
        #expect(message(#"{"models": {"x": {"W": "same as A", "A": "same as W", "R": "same as W", "S": "same as W"}}}"#)
            .contains("cycle"))
        #expect(message(#"{"models": {"x": {"W": {"gamma": {}}, "A": "same as W", "R": "same as W", "S": "same as W"}}}"#)
            .hasPrefix("m.json: models.x.W: expected exactly one family"))
        #expect(message(#"{"models": {"x": {"W": {"constant": {"ms": 1}}, "A": "as y W", "R": "same as W", "S": "same as W"}}}"#)
            .hasPrefix("m.json: models.x.A: expected \"same as"))
        #expect(message(#"{"models": {"x": {"base": "nope"}}}"#) == "m.json: models.x.base: expected the name of another model in this file")
        #expect(throws: LatencyModelCatalog.LoadError.self) { try LatencyModelCatalog.bundled.model(named: "nope") }
    }
}
