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

    /// Every leg of every bundled preset against Bailis et al., PVLDB 2012,
    /// Table 3 (typed in here from the paper, not read from the project's
    /// data file): the mixture weights, families and parameters. ymmr's W
    /// Pareto shape is the 3.5 of the authors' simulator, which produced
    /// the paper's result tables (the table prints 3.35).
    @Test func bundledPresetsMatchThePapersTable3() throws {
        typealias F = LatencyDistribution.Family
        func mixture(_ parts: [(Double, F)]) -> [LatencyDistribution.Component] {
            parts.map { LatencyDistribution.Component(weight: $0.0, family: $0.1) }
        }
        let ssdLeg = mixture([(0.9122, .pareto(scale: 0.235, shape: 10)), (0.0878, .exponential(rate: 1.66))])
        let diskWrite = mixture([(0.38, .pareto(scale: 1.05, shape: 1.51)), (0.62, .exponential(rate: 0.183))])
        let ymmrWrite = mixture([(0.939, .pareto(scale: 3, shape: 3.5)), (0.061, .exponential(rate: 0.0028))])
        let ymmrOther = mixture([(0.982, .pareto(scale: 1.5, shape: 3.8)), (0.018, .exponential(rate: 0.0217))])
        let table3: [String: (w: [LatencyDistribution.Component], ars: [LatencyDistribution.Component], remote: Double?)] = [
            "lnkd-ssd": (ssdLeg, ssdLeg, nil),
            "lnkd-disk": (diskWrite, ssdLeg, nil),
            "ymmr": (ymmrWrite, ymmrOther, nil),
            // §5.7: lnkd-disk with the replicas in two datacenters 75 ms apart.
            "wan": (diskWrite, ssdLeg, 75),
        ]
        let catalog = LatencyModelCatalog.bundled
        #expect(Set(catalog.names) == Set(table3.keys))
        for (name, expected) in table3 {
            let model = try catalog.model(named: name)
            func close(_ a: [LatencyDistribution.Component], _ b: [LatencyDistribution.Component]) -> Bool {
                a.count == b.count && zip(a, b).allSatisfy { abs($0.weight - $1.weight) < 1e-9 && $0.family == $1.family }
            }
            #expect(close(model.write.components, expected.w), "\(name) W: \(model.write.components)")
            for (leg, distribution) in [("A", model.writeAck), ("R", model.read), ("S", model.readResponse)] {
                #expect(close(distribution.components, expected.ars), "\(name) \(leg): \(distribution.components)")
            }
            #expect(model.remoteDelayMs == expected.remote, "\(name) remote delay")
        }
        // The means the paper quotes from LinkedIn's measurements (§5.2):
        // 0.58 ms round trip on SSD, 4.85 ms write + ack on disk.
        let ssd = try catalog.model(named: "lnkd-ssd"), disk = try catalog.model(named: "lnkd-disk")
        #expect(abs(ssd.write.mean + ssd.writeAck.mean - 0.58) < 0.005)
        #expect(abs(disk.write.mean + disk.writeAck.mean - 4.85) < 0.02)
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

    /// A user's file may base a model on a built-in preset (issue #16); a model of the file shadows the preset.
    @Test func baseMayNameABuiltInPreset() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caplab-base-preset-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("models.json").path
        try Data(#"{"models": {"far-disk": {"base": "lnkd-disk", "remote_delay_ms": 40}, "nope": {"base": "missing", "remote_delay_ms": 1}}}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        #expect(throws: LatencyModelCatalog.LoadError.self) { try LatencyModelCatalog.load(path: path) }
        do { _ = try LatencyModelCatalog.load(path: path) } catch {
            #expect("\(error)".contains("or a built-in preset (lnkd-disk, lnkd-ssd, wan, ymmr)"))
        }
        try Data(#"{"models": {"far-disk": {"base": "lnkd-disk", "remote_delay_ms": 40}}}"#.utf8).write(to: URL(fileURLWithPath: path))
        let far = try LatencyModelCatalog.load(path: path).model(named: "far-disk")
        let disk = try LatencyModelCatalog.bundled.model(named: "lnkd-disk")
        #expect(far.write == disk.write && far.writeAck == disk.writeAck && far.read == disk.read && far.readResponse == disk.readResponse)
        #expect(far.remoteDelayMs == 40)
    }
}
