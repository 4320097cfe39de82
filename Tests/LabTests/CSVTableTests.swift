import Foundation
import Testing
@testable import Lab

@Suite struct CSVTableTests {
    @Test func writesHeaderThenRows() {
        var table = CSVTable(columns: ["algorithm", "nodes", "lookup_ns_median"])
        table.append(["jump", "10", "12.500"])
        table.append(["token-ring", "100", "30.125"])
        #expect(table.rendered() == "algorithm,nodes,lookup_ns_median\njump,10,12.500\ntoken-ring,100,30.125\n")
    }

    @Test func quotesOnlyFieldsThatNeedIt() {
        #expect(CSVTable.escape("plain") == "plain")
        #expect(CSVTable.escape("a,b") == "\"a,b\"")
        #expect(CSVTable.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVTable.escape("two\nlines") == "\"two\nlines\"")
        #expect(CSVTable.escape("") == "")
    }

    @Test func parseRoundTripsAwkwardFields() {
        var table = CSVTable(columns: ["name", "note"])
        table.append(["a,b", "quote \" inside"])
        table.append(["multi\nline", ""])
        table.append(["", "\"\""])
        #expect(CSVTable.parse(table.rendered()) == table)
    }

    @Test func parseRejectsRaggedRowsAndOpenQuotes() {
        #expect(CSVTable.parse("a,b\n1\n") == nil)
        #expect(CSVTable.parse("a,b\n\"1,2\n") == nil)
    }

    @Test func atomicWriteReplacesWholeFileAndLeavesNoTemporary() throws {
        let dir = try TemporaryDirectory()
        let target = dir.url.appendingPathComponent("x.csv")
        try AtomicFile.write("old\n", to: target)
        try AtomicFile.write("new,content\n", to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "new,content\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["x.csv"])
    }

    @Test func writingBelowAFileIsAClearError() throws {
        let dir = try TemporaryDirectory()
        let file = dir.url.appendingPathComponent("plain-file")
        try AtomicFile.write("x", to: file)
        #expect(throws: LabError.self) { try AtomicFile.ensureWritableDirectory(file) }
        #expect(throws: LabError.self) { try AtomicFile.write("y", to: file.appendingPathComponent("z.csv")) }
    }
}

/// A directory under the system temporary directory, removed when released.
final class TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("caplab-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
}
