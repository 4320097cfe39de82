import Foundation
import Stats
import Testing
@testable import Consistency

/// The data models (cas-register, kv, set) through ``ModelChecker``: known
/// verdicts on hand-written histories in the shape Jepsen's etcd
/// cas-register test and Porcupine's kv tests record, the brute-force
/// definition on small random histories, and the generic search against the
/// register's own search.
@Suite struct ModelTests {
    let checker = ModelChecker()

    func verdict(_ text: String, _ kind: ModelKind? = nil) throws -> LinearizabilityChecker.Verdict {
        let history = try ModelHistory.parse(text)
        let model = try kind ?? ModelKind.infer(history).kind
        return try model.check(history, with: checker).verdict
    }

    // MARK: cas-register (Knossos's model; Jepsen etcd's `:cas [old new]` with `:read`/`:write`)

    /// Two clients cas from 1 concurrently: one wins, the other fails, and a later read sees the winner.
    @Test func casOneWinnerIsLinearizable() throws {
        let h = """
            {:type :invoke, :f :write, :value [:r 1], :process 0}
            {:type :ok, :f :write, :value [:r 1], :process 0}
            {:type :invoke, :f :cas, :value [:r [1 2]], :process 1}
            {:type :invoke, :f :cas, :value [:r [1 3]], :process 2}
            {:type :ok, :f :cas, :value [:r [1 2]], :process 1}
            {:type :fail, :f :cas, :value [:r [1 3]], :process 2}
            {:type :invoke, :f :read, :value [:r nil], :process 2}
            {:type :ok, :f :read, :value [:r 2], :process 2}
            """
        #expect(try verdict(h) == .linearizable)
    }

    /// A lost update: both cas from 1 succeed, one after the other.
    @Test func casBothSucceedingFromTheSameValueIsNot() throws {
        let h = """
            {:type :invoke, :f :write, :value 1, :process 0}
            {:type :ok, :f :write, :value 1, :process 0}
            {:type :invoke, :f :cas, :value [1 2], :process 1}
            {:type :ok, :f :cas, :value [1 2], :process 1}
            {:type :invoke, :f :cas, :value [1 3], :process 2}
            {:type :ok, :f :cas, :value [1 3], :process 2}
            """
        #expect(try verdict(h) == .notLinearizable)
    }

    /// An indeterminate cas (a timeout, as etcd's client reports) may take effect later, or never.
    @Test func casInfoMayTakeEffectLaterOrNever() throws {
        let prefix = """
            {:type :invoke, :f :write, :value 1, :process 0}
            {:type :ok, :f :write, :value 1, :process 0}
            {:type :invoke, :f :cas, :value [1 2], :process 1}
            {:type :info, :f :cas, :value [1 2], :process 1}

            """
        func reads(_ values: [Int]) -> String {
            values.map { "{:type :invoke, :f :read, :value nil, :process 3}\n{:type :ok, :f :read, :value \($0), :process 3}\n" }.joined()
        }
        #expect(try verdict(prefix + reads([1, 1, 2, 2])) == .linearizable)
        #expect(try verdict(prefix + reads([1, 1])) == .linearizable)
        #expect(try verdict(prefix + reads([2, 1])) == .notLinearizable)
        // A failed cas certainly did not happen.
        let failed = prefix.replacingOccurrences(of: ":type :info", with: ":type :fail")
        #expect(try verdict(failed + reads([2])) == .notLinearizable)
    }

    /// Reads of the empty register, and a read of a value nobody wrote.
    @Test func casReadsOfTheInitialValue() throws {
        #expect(try verdict("{:type :invoke, :f :read, :value nil, :process 0}\n{:type :ok, :f :read, :value nil, :process 0}\n{:type :invoke, :f :cas, :value [nil 4], :process 0}\n{:type :ok, :f :cas, :value [nil 4], :process 0}") == .linearizable)
        #expect(try verdict("{:type :invoke, :f :cas, :value [0 4], :process 0}\n{:type :ok, :f :cas, :value [0 4], :process 0}") == .notLinearizable)
        #expect(try verdict("{:type :invoke, :f :read, :value nil, :process 0}\n{:type :ok, :f :read, :value 7, :process 0}", .casRegister) == .notLinearizable)
    }

    // MARK: kv (Porcupine's model: put / get / append on string keys)

    /// Concurrent appends land in either order; a get after both sees both.
    @Test func kvConcurrentAppends() throws {
        func history(_ seen: String, overlapping: Bool) -> String {
            let get = "{\"type\":\"invoke\",\"f\":\"get\",\"key\":\"x\",\"value\":null,\"process\":2}\n{\"type\":\"ok\",\"f\":\"get\",\"key\":\"x\",\"value\":\"\(seen)\",\"process\":2}\n"
            return """
                {"type":"invoke","f":"append","key":"x","value":"a","process":0}
                {"type":"invoke","f":"append","key":"x","value":"b","process":1}

                """ + (overlapping ? get : "") + """
                {"type":"ok","f":"append","key":"x","value":"a","process":0}
                {"type":"ok","f":"append","key":"x","value":"b","process":1}

                """ + (overlapping ? "" : get)
        }
        #expect(try verdict(history("ab", overlapping: false)) == .linearizable)
        #expect(try verdict(history("ba", overlapping: false)) == .linearizable)
        #expect(try verdict(history("a", overlapping: false)) == .notLinearizable)
        #expect(try verdict(history("a", overlapping: true)) == .linearizable)
        #expect(try verdict(history("", overlapping: true)) == .linearizable)
        #expect(try verdict(history("aa", overlapping: true)) == .notLinearizable)
    }

    /// A get after a completed put sees it (or a later write), per key.
    @Test func kvStaleGetAndKeys() throws {
        let put = "{:type :invoke, :f :put, :key \"k\", :value \"1\", :process 0}\n{:type :ok, :f :put, :key \"k\", :value \"1\", :process 0}\n"
        #expect(try verdict(put + "{:type :invoke, :f :get, :key \"k\", :process 1}\n{:type :ok, :f :get, :key \"k\", :value \"1\", :process 1}") == .linearizable)
        #expect(try verdict(put + "{:type :invoke, :f :get, :key \"k\", :process 1}\n{:type :ok, :f :get, :key \"k\", :value \"\", :process 1}") == .notLinearizable)
        // Another key is untouched: Porcupine's get of a missing key returns "".
        #expect(try verdict(put + "{:type :invoke, :f :get, :value [:other nil], :process 1}\n{:type :ok, :f :get, :value [:other \"\"], :process 1}") == .linearizable)
        #expect(try verdict(put + "{:type :invoke, :f :append, :value [\"k\" \"2\"], :process 1}\n{:type :ok, :f :append, :value [\"k\" \"2\"], :process 1}\n{:type :invoke, :f :get, :key \"k\", :process 1}\n{:type :ok, :f :get, :key \"k\", :value \"12\", :process 1}") == .linearizable)
    }

    // MARK: sets

    /// Grow-only (Jepsen's set workload): a read holds every add completed before it and none not yet invoked.
    @Test func growOnlySet() throws {
        let adds = "[{:type :invoke, :f :add, :value 1, :process 0}\n{:type :ok, :f :add, :value 1, :process 0}\n{:type :invoke, :f :add, :value 2, :process 0}\n"
        func read(_ set: String) -> String { "{:type :invoke, :f :read, :value nil, :process 1}\n{:type :ok, :f :read, :value \(set), :process 1}\n" }
        let end = "{:type :ok, :f :add, :value 2, :process 0}]"
        #expect(try verdict(adds + read("#{1}") + end) == .linearizable)
        #expect(try verdict(adds + read("#{2 1}") + end) == .linearizable)
        #expect(try verdict(adds + read("#{2}") + end) == .notLinearizable)
        #expect(try verdict(adds + read("#{1 3}") + end) == .notLinearizable)
        #expect(try verdict(adds + read("[]") + end) == .notLinearizable)
    }

    @Test func addRemoveSet() throws {
        let h = "{:type :invoke, :f :add, :value 5, :process 0}\n{:type :ok, :f :add, :value 5, :process 0}\n{:type :invoke, :f :remove, :value 5, :process 0}\n{:type :ok, :f :remove, :value 5, :process 0}\n"
        #expect(try verdict(h + "{:type :invoke, :f :read, :process 1}\n{:type :ok, :f :read, :value #{}, :process 1}") == .linearizable)
        #expect(try verdict(h + "{:type :invoke, :f :read, :process 1}\n{:type :ok, :f :read, :value #{5}, :process 1}") == .notLinearizable)
    }

    // MARK: inference and errors

    @Test func inference() throws {
        func kind(_ text: String) throws -> ModelKind { try ModelKind.infer(ModelHistory.parse(text)).kind }
        #expect(try kind("{:type :invoke, :f :read, :process 0}\n{:type :invoke, :f :cas, :value [1 2], :process 1}") == .casRegister)
        #expect(try kind("{:type :invoke, :f :write, :value 1, :process 0}") == .register)
        #expect(try kind("{:type :invoke, :f :append, :value [\"k\" \"a\"], :process 0}") == .kv)
        #expect(try kind("{:type :invoke, :f :add, :value 1, :process 0}\n{:type :invoke, :f :read, :process 1}") == .set)
        let reason = try ModelKind.infer(ModelHistory.parse("{:type :invoke, :f :read, :process 0}\n{:type :invoke, :f :cas, :value [1 2], :process 1}")).reason
        #expect(reason == ":cas on line 2")
    }

    @Test func errorsNameLineFieldAndExpectation() throws {
        func error(_ text: String, _ kind: ModelKind? = nil) -> HistoryError? {
            do { _ = try verdict(text, kind); return nil } catch let e as HistoryError { return e } catch { return nil }
        }
        let notPair = error("{:type :invoke, :f :write, :value 1, :process 0}\n{:type :invoke, :f :cas, :value 3, :process 1}")
        #expect(notPair?.line == 2)
        #expect(notPair?.message.contains("field 'value': expected [old new]") == true)
        let conflict = error("{:type :invoke, :f :cas, :value [1 2], :process 0}\n{:type :invoke, :f :add, :value 3, :process 1}")
        #expect(conflict?.line == 2)
        #expect(conflict?.message.contains("line 1") == true)
        let unknown = error("{:type :invoke, :f :frobnicate, :value 3, :process 1}")
        #expect(unknown?.message.contains("field 'f': expected read, write, cas") == true)
        let wrongModel = error("{:type :invoke, :f :append, :key \"k\", :value \"a\", :process 0}", .casRegister)
        #expect(wrongModel?.message == "field 'f': the cas-register model takes :cas, :read, :write, got :append")
        let badRead = error("{:type :invoke, :f :read, :process 1}\n{:type :ok, :f :read, :value 3, :process 1}", .set)
        #expect(badRead?.line == 2)
        #expect(badRead?.message.contains("expected the whole set") == true)
        let syntax = error("{:type :invoke, :f :cas, :value [1 2}")
        #expect(syntax?.line == 1)
        #expect(syntax?.column == 37)
        let float = error("{:type :invoke, :f :add, :value 1.5, :process 0}")
        #expect(float?.message.contains("field 'value': expected an integer, string, keyword") == true)
    }

    // MARK: cross-checks

    /// Small random histories of each model: the checker agrees with the brute-force definition.
    @Test(arguments: [ModelKind.casRegister, .kv, .set])
    func agreesWithBruteForce(kind: ModelKind) throws {
        var g = ModelHistoryGenerator(rng: Xoshiro256StarStar(seed: 41 + UInt64(kind.rawValue.count)))
        g.corruption = 0.6
        g.keys = 2
        var counts: [LinearizabilityChecker.Verdict: Int] = [:]
        for trial in 0..<2_000 {
            let ops = 2 + trial % 9, processes = 2 + trial % 3
            let history: ModelHistory
            let truth: Bool
            switch kind {
            case .casRegister:
                history = g.make(CasObject.self, operations: ops, processes: processes)
                truth = try ModelBruteForce.linearizable(CasRegisterModel.self, history)
            case .kv:
                history = g.make(KeyValueObject.self, operations: ops, processes: processes)
                truth = try ModelBruteForce.linearizable(KeyValueModel.self, history)
            default:
                history = g.make(SetObject.self, operations: ops, processes: processes)
                truth = try ModelBruteForce.linearizable(SetModel.self, history)
            }
            let report = try kind.check(history, with: checker)
            #expect(report.verdict == (truth ? .linearizable : .notLinearizable), "trial \(trial): \(history.events)")
            counts[report.verdict, default: 0] += 1
        }
        #expect(counts[.linearizable, default: 0] > 400)
        #expect(counts[.notLinearizable, default: 0] > 150)
    }

    /// Uncorrupted runs are linearizable by construction, at sizes brute force cannot reach.
    @Test(arguments: [ModelKind.casRegister, .kv, .set])
    func trueRunsAreLinearizable(kind: ModelKind) throws {
        var g = ModelHistoryGenerator(rng: Xoshiro256StarStar(seed: 7))
        g.keys = 3
        for trial in 0..<40 {
            let history: ModelHistory
            switch kind {
            case .casRegister: history = g.make(CasObject.self, operations: 300, processes: 2 + trial % 6)
            case .kv: history = g.make(KeyValueObject.self, operations: 300, processes: 2 + trial % 6)
            default: history = g.make(SetObject.self, operations: 300, processes: 2 + trial % 6)
            }
            #expect(try kind.check(history, with: checker).verdict == .linearizable, "trial \(trial)")
        }
    }

    /// The generic search with ``RegisterModel`` agrees with the register's own search on random register histories.
    @Test func genericSearchAgreesWithTheRegisterSearch() throws {
        var generator = RandomHistory(rng: Xoshiro256StarStar(seed: 53))
        let registerSearch = LinearizabilityChecker(usesZones: false)
        var counts: [LinearizabilityChecker.Verdict: Int] = [:]
        for trial in 0..<3_000 {
            let h = generator.make(operations: 2 + trial % 14, processes: 2 + trial % 4)
            let expected = try registerSearch.check(h).verdict
            let generic = try ModelKind.register.check(ModelHistory.parse(HistoryFormat.edn.render(h)), with: checker).verdict
            #expect(generic == expected, "trial \(trial): \(HistoryFormat.edn.render(h))")
            counts[generic, default: 0] += 1
        }
        #expect(counts[.linearizable, default: 0] > 500)
        #expect(counts[.notLinearizable, default: 0] > 500)
    }
}
