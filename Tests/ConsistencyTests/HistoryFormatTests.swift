import Stats
import Testing
@testable import Consistency

@Suite struct HistoryFormatTests {
    /// The shapes of Jepsen's `history.edn` and of its independent checker's `[key value]` tuples.
    @Test func readsJepsenEDN() throws {
        let text = """
            {:type :invoke, :f :write, :value 3, :process 0, :time 100}
            {:type :invoke, :f :read, :value nil, :process 1}
            {:type :info, :f :start-partition, :value nil, :process :nemesis}
            {:type :ok, :f :write, :value 3, :process 0, :time 250}
            {:type :ok, :f :read, :value 3, :process 1, :index 4}
            {:type :invoke, :f :read, :value [7 nil], :process 2}
            {:type :ok, :f :read, :value [7 nil], :process 2}
            """
        let h = try HistoryFormat.parse(text)
        #expect(h.events.count == 6) // the nemesis line is skipped
        #expect(h.lines == [1, 2, 4, 5, 6, 7])
        #expect(h.events[0] == HistoryEvent(type: .invoke, function: .write, process: 0, value: 3, timeNanoseconds: 100))
        #expect(h.events[5] == HistoryEvent(type: .ok, function: .read, process: 2, key: 7, value: nil))
        #expect(try LinearizabilityChecker().check(h).verdict == .linearizable)
    }

    @Test func readsAVectorOfMaps() throws {
        let h = try HistoryFormat.parse("[{:type :invoke, :f :write, :value 1, :process 0}\n {:type :ok, :f :write, :value 1, :process 0}]")
        #expect(h.events.count == 2)
        #expect(h.lines == [1, 2])
    }

    @Test func roundTripsBothFormats() throws {
        var generator = RandomHistory(rng: Xoshiro256StarStar(seed: 2))
        var h = generator.make(operations: 40, processes: 4)
        for i in h.events.indices {
            h.events[i].key = i % 3 == 0 ? nil : .integer(Int64(i % 5))
            h.events[i].timeNanoseconds = i % 2 == 0 ? Int64(i * 1000) : nil
        }
        for format in HistoryFormat.allCases {
            let parsed = try HistoryFormat.parse(format.render(h))
            #expect(parsed.events == h.events, "\(format)")
        }
    }

    @Test func readsJSONLines() throws {
        let text = """
            {"type":"invoke","f":"write","process":0,"key":7,"value":3,"time":1200}
            {"type": "ok", "f": "write", "process": 0, "key": 7, "value": 3}

            {"type":"invoke","f":"read","process":1,"value":[7,null]}
            {"type":"ok","f":"read","process":1,"key":7,"value":3}
            """
        let h = try HistoryFormat.parse(text)
        #expect(h.events.count == 4)
        #expect(h.lines == [1, 2, 4, 5])
        #expect(h.events[2].key == 7)
        #expect(try LinearizabilityChecker().check(h).verdict == .linearizable)
    }

    @Test func errorsNameTheLine() {
        #expect(throws: HistoryError(line: 2, "field 'type': expected invoke, ok, fail or info, got 'done'")) {
            try HistoryFormat.parse("{:type :invoke, :f :read, :value nil, :process 0}\n{:type :done, :f :read, :value nil, :process 0}")
        }
        #expect(throws: HistoryError(line: 3, "field 'f': expected read or write (registers only), got 'cas'")) {
            try HistoryFormat.parse("{\"type\":\"invoke\",\"f\":\"read\",\"process\":0,\"value\":null}\n\n{\"type\":\"invoke\",\"f\":\"cas\",\"process\":1,\"value\":null}")
        }
        #expect(throws: HistoryError(line: 1, "missing field 'process'")) { try HistoryFormat.parse("{:type :invoke, :f :read}") }
        #expect(throws: HistoryError.self) { try HistoryFormat.parse("{:type :invoke, :f :read, :value nil, :process 0") }
        #expect(throws: HistoryError.self) { try HistoryFormat.parse("{:type :invoke, :f :write, :value \"x\", :process 0}") }
    }
}
