import Foundation
import Testing
@testable import Stats

/// Issue 19, defects 1 and 7 (Stats side): latency-model files whose models
/// name each other as `base` in a cycle, and CRLF line endings.
@Suite struct InputHardeningTests {
    /// A `base` cycle used to recurse until SIGSEGV, even when the user
    /// selected another model of the file (the whole file is resolved).
    @Test func baseCycleIsAnErrorNamingTheCycle() throws {
        let json = #"""
            {"models": {"ok": {"W": {"constant": {"ms": 1}}, "A": "same as W", "R": "same as W", "S": "same as W"},
                        "a": {"base": "b", "remote_delay_ms": 1}, "b": {"base": "c", "remote_delay_ms": 1},
                        "c": {"base": "a", "remote_delay_ms": 1}}}
            """#
        #expect {
            _ = try LatencyModelCatalog(json: Data(json.utf8), source: "m.json")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("m.json: models.a.base: base models form a cycle: a → b → c → a")
        }
        let selfish = #"{"models": {"x": {"base": "y", "remote_delay_ms": 1}, "y": {"base": "x", "remote_delay_ms": 2}}}"#
        #expect(throws: LatencyModelCatalog.LoadError.self) { try LatencyModelCatalog(json: Data(selfish.utf8), source: "m.json") }
    }

    /// A chain of bases without a cycle still resolves (the guard is not a blanket refusal).
    @Test func baseChainResolves() throws {
        let json = #"""
            {"models": {"a": {"W": {"constant": {"ms": 1}}, "A": "same as W", "R": "same as W", "S": "same as W"},
                        "b": {"base": "a", "remote_delay_ms": 5}, "c": {"base": "b", "remote_delay_ms": 7}}}
            """#
        let catalog = try LatencyModelCatalog(json: Data(json.utf8), source: "m.json")
        #expect(try catalog.model(named: "c").remoteDelayMs == 7)
    }

    /// `split(separator: "\n")` does not split CRLF text (a Swift Character
    /// holds "\r\n"), so a Windows CSV was one line: "expected numbers".
    @Test func empiricalCSVWithCRLF() throws {
        let e = try EmpiricalCSV.parse("ms\r\n3\r\n1\r\n10\r\n2\r\n4\r\n", source: "s.csv")
        let d = LatencyDistribution(.empirical(e))
        #expect(d.quantile(0.5) == 3 && d.quantile(1) == 10)
        let p = try EmpiricalCSV.parse("percentile,ms\r\n50,1\r\n99,5\r\n", source: "p.csv")
        #expect(LatencyDistribution(.empirical(p)).quantile(0.99) == 5)
        #expect {
            _ = try EmpiricalCSV.parse("ms\r\n1\r\nfast\r\n", source: "lat.csv")
        } throws: { "\($0)" == "lat.csv:3: expected numbers, got 'fast'" }
    }

    @Test func textLinesSplitEveryTerminator() throws {
        #expect(TextLines.lines("a\r\nb\nc\rd\n").map(String.init) == ["a", "b", "c", "d"])
        #expect(TextLines.lines("a\n\nb").map(String.init) == ["a", "", "b"])
        let bytes = TextLines.byteLines(Data([0x61, 0x0D, 0x0A, 0xFF, 0xFE, 0x0A, 0x62]))
        #expect(bytes.map { [UInt8]($0) } == [[0x61], [0xFF, 0xFE], [0x62]])
    }
}
