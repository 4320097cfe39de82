import Testing
@testable import Consistency

/// Issue #19 defects 2 and 6: deep nesting is an error, not a stack
/// overflow; only `:nemesis` events are skipped (and counted); keys may be
/// keywords or strings.
@Suite struct HistoryInputTests {
    @Test func deepNestingIsAnErrorWithLineAndColumn() throws {
        for (open, close) in [("[", "]"), ("{", "}"), ("(", ")")] {
            let text = "\n  " + String(repeating: open, count: 100_000) + String(repeating: close, count: 100_000)
            do {
                _ = try HistoryFormat.parse(text)
                Issue.record("parsed 100 000 levels of \(open)")
            } catch let error as HistoryError {
                #expect(error.line == 2)
                // The 257th opening bracket, after two spaces.
                #expect(error.column == 2 + DatumReader.maxDepth + 1)
                #expect(error.message.contains("nested more than 256 deep"))
            }
        }
        // JSON lines nest the same way.
        let json = "{\"a\":" + String(repeating: "[", count: 100_000)
        #expect(throws: HistoryError.self) { try HistoryFormat.parse(json) }
        // At the bound it still parses (as a datum; it is not an event).
        var reader = DatumReader(bytes: Array((String(repeating: "[", count: 256) + String(repeating: "]", count: 256)).utf8))
        #expect(try reader.nextTopLevel() != nil)
    }

    @Test func onlyNemesisEventsAreSkippedAndCounted() throws {
        let h = try HistoryFormat.parse("""
            {:type :info, :f :start, :value nil, :process :nemesis}
            {:type :invoke, :f :write, :value 1, :process 0}
            {:type :ok, :f :write, :value 1, :process 0}
            {"type":"info","f":"stop","process":"nemesis"}
            """)
        #expect(h.events.count == 2)
        #expect(h.skippedNemesisEvents == 2)
        #expect(h.lines == [2, 3])
        for (bad, got) in [("\"0\"", "string \"0\""), ("0.5", "0.5"), ("1e30", "1e+30"), (":client", ":client"), ("[0]", "a vector of 1")] {
            #expect(throws: HistoryError(line: 2, "field 'process': expected an integer (or :nemesis, whose events are skipped), got \(got)")) {
                try HistoryFormat.parse("{:type :invoke, :f :write, :value 1, :process 0}\n{:type :ok, :f :write, :value 1, :process \(bad)}")
            }
        }
    }

    @Test func keywordAndStringKeys() throws {
        let h = try HistoryFormat.parse("""
            {:type :invoke, :f :write, :value [:a 1], :process 0}
            {:type :ok, :f :write, :value [:a 1], :process 0}
            {:type :invoke, :f :read, :value ["x" nil], :process 1}
            {:type :ok, :f :read, :value ["x" 2], :process 1}
            {"type":"invoke","f":"read","process":2,"key":"x","value":null}
            {"type":"ok","f":"read","process":2,"key":"x","value":null}
            """)
        #expect(h.events.map(\.key) == [.keyword("a"), .keyword("a"), .string("x"), .string("x"), .string("x"), .string("x")])
        let report = try LinearizabilityChecker().check(h)
        #expect(report.keys == 2)
        // Key "x" read 2, never written.
        #expect(report.violations.map(\.key) == [.string("x")])
        #expect(report.rendered().contains("key \"x\":"))
        #expect(throws: HistoryError(line: 1, "field 'value': expected a key (integer, keyword or string), got 1.5")) {
            try HistoryFormat.parse("{:type :invoke, :f :write, :value [1.5 1], :process 0}")
        }
        // Keys of different kinds never compare equal, and sort integers, keywords, strings.
        #expect([HistoryKey.string("1"), .keyword("1"), .integer(1)].sorted() == [.integer(1), .keyword("1"), .string("1")])
    }
}
