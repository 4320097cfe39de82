import Foundation
import Stats
import Testing
@testable import Consistency

/// The shrunk window and the partial linearization of a model violation
/// (#17 items 3 and 5): hand-built cas-register, kv and set histories whose
/// smallest window is worked out below, and on random histories, the brute
/// force's own verdict that every window is a violation and none of its
/// operations can go.
@Suite struct ModelWindowTests {
    func violation(_ text: String, _ kind: ModelKind) throws -> ModelChecker.Violation {
        try #require(check(text, kind).violations.first)
    }

    func check(_ text: String, _ kind: ModelKind) throws -> ModelChecker.Report {
        let report = try kind.check(ModelHistory.parse(text), with: ModelChecker())
        #expect(report.verdict == .notLinearizable)
        #expect(report.violations.count == 1)
        return report
    }

    /// A lost update: cas [1 2] completes, then cas [1 3] completes too.
    /// {cas [1 2], cas [1 3]} is a violation even with the write of 1 loose
    /// (it must precede cas [1 2], so the register holds 2 at cas [1 3]);
    /// either cas alone is explained by the write (the other cas loose), so
    /// the window is exactly the two cas, with the write of 1 loose and the
    /// read of 1 (it changes nothing) left out.
    @Test func casLostUpdateWindow() throws {
        let report = try check("""
            {:type :invoke, :f :write, :value 1, :process 0}
            {:type :ok, :f :write, :value 1, :process 0}
            {:type :invoke, :f :read, :value nil, :process 1}
            {:type :ok, :f :read, :value 1, :process 1}
            {:type :invoke, :f :cas, :value [1 2], :process 2}
            {:type :ok, :f :cas, :value [1 2], :process 2}
            {:type :invoke, :f :cas, :value [1 3], :process 3}
            {:type :ok, :f :cas, :value [1 3], :process 3}
            {:type :invoke, :f :read, :value nil, :process 1}
            {:type :ok, :f :read, :value 3, :process 1}
            """, .casRegister)
        let v = report.violations[0]
        #expect(v.window.map(\.invokeLine) == [5, 7])
        #expect(v.window.map(\.process) == [2, 3])
        #expect(v.window.map(\.input) == [.list([.integer(1), .integer(2)]), .list([.integer(1), .integer(3)])])
        #expect(v.loose.map(\.invokeLine) == [1])
        #expect(v.context == 0 && v.contextBeforeLine == nil && v.base == Int.min)
        #expect(v.minimised)
        // The search linearizes write 1, read 1 and cas [1 2], and nothing after.
        #expect(v.longestPrefix.map(\.invokeLine) == [1, 3, 5])
        let text = report.rendered()
        #expect(text.contains("key 0: these 2 operations cannot be ordered, starting from the cas-register model's initial state:\n  lines 5-6  process 2  :cas [1 2]  ok\n  lines 7-8  process 3  :cas [1 3]  ok\n"))
        #expect(text.contains("  even letting these 1 other operations of key 0 take effect at any time after their invocation, or not at all:\n    lines 1-2  process 0  :write 1  ok\n"))
        #expect(text.contains("  longest partial linearization found: 3 of the key's 5 operations, the last lines 5-6  process 2  :cas [1 2]  ok\n"))
    }

    /// `Fixtures/model-kv-stale-get.jsonl` (also drawn by the `--html` tests):
    /// put a; append b; get → ab; a fault starts; append c; get → ab (stale:
    /// abc was due); the fault stops; an append on key y.
    /// {append c, get → ab} after put a (completed before append b began):
    /// with append b loose, the string is ac, abc or acb, never ab. Without
    /// the context, append c first, then put a and append b, gives ab; and
    /// the get alone is explained by put a and append b. So the window is
    /// exactly append c and the last get (lines 8 and 10), with one operation
    /// of context.
    @Test func kvStaleGetWindowWithContext() throws {
        let text = String(decoding: try Data(contentsOf: Self.fixtures.appendingPathComponent("model-kv-stale-get.jsonl")), as: UTF8.self)
        let v = try violation(text, .kv)
        #expect(v.key == .string("x"))
        #expect(v.window.map(\.invokeLine) == [8, 10])
        #expect(v.window.map(\.function) == ["append", "get"])
        #expect(v.context == 1 && v.contextBeforeLine == 3)
        #expect(v.loose.map(\.invokeLine) == [3])
        #expect(v.minimised)
        #expect(v.longestPrefix.map(\.invokeLine) == [1, 3, 5, 8])
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Concurrent adds of 1 and 2; a read sees both, a later read only 1 (no
    /// remove): the two reads are the window, both adds loose.
    @Test func setReadGoesBackWindow() throws {
        let v = try violation("""
            {:type :invoke, :f :add, :value 1, :process 0}
            {:type :ok, :f :add, :value 1, :process 0}
            {:type :invoke, :f :add, :value 2, :process 1}
            {:type :invoke, :f :read, :value nil, :process 2}
            {:type :ok, :f :read, :value #{1 2}, :process 2}
            {:type :ok, :f :add, :value 2, :process 1}
            {:type :invoke, :f :read, :value nil, :process 2}
            {:type :ok, :f :read, :value #{1}, :process 2}
            {:type :invoke, :f :add, :value 3, :process 0}
            {:type :ok, :f :add, :value 3, :process 0}
            """, .set)
        #expect(v.window.map(\.invokeLine) == [4, 7])
        #expect(v.window.map(\.function) == ["read", "read"])
        #expect(v.loose.map(\.invokeLine) == [1, 3])
        #expect(v.context == 0)
        #expect(v.minimised)
    }

    /// Random small histories of each model: every window is a violation by
    /// the brute-force definition (window and context required, loose
    /// operations optional as `info`), and taking any one operation out of
    /// it (the context and loose operations recomputed) leaves none.
    @Test(arguments: [ModelKind.casRegister, .kv, .set])
    func windowsAreMinimalViolationsByBruteForce(kind: ModelKind) throws {
        var g = ModelHistoryGenerator(rng: Xoshiro256StarStar(seed: 97 + UInt64(kind.rawValue.count)))
        g.corruption = 0.6
        let checker = ModelChecker()
        var checked = 0
        for trial in 0..<1_500 {
            let ops = 3 + trial % 8, processes = 2 + trial % 3
            let history: ModelHistory
            switch kind {
            case .casRegister: history = g.make(CasObject.self, operations: ops, processes: processes)
            case .kv: history = g.make(KeyValueObject.self, operations: ops, processes: processes)
            default: history = g.make(SetObject.self, operations: ops, processes: processes)
            }
            let report = try kind.check(history, with: checker)
            guard let v = report.violations.first else { continue }
            checked += 1
            let all = try kind.operations(history).filter { $0.outcome != .fail }
            let holds: ([ModelOperation]) throws -> Bool
            switch kind {
            case .casRegister: holds = { try ModelBruteForce.key(CasRegisterModel.self, Self.relaxed($0, v.base, all, CasRegisterModel.self)) }
            case .kv: holds = { try ModelBruteForce.key(KeyValueModel.self, Self.relaxed($0, v.base, all, KeyValueModel.self)) }
            default: holds = { try ModelBruteForce.key(SetModel.self, Self.relaxed($0, v.base, all, SetModel.self)) }
            }
            #expect(v.minimised, "trial \(trial)")
            #expect(try !holds(v.window), "trial \(trial): \(history.events)")
            for i in v.window.indices {
                var fewer = v.window
                fewer.remove(at: i)
                #expect(try holds(fewer), "trial \(trial): window less line \(v.window[i].invokeLine) still a violation: \(history.events)")
            }
        }
        #expect(checked > 100)
    }

    /// The window's relaxed history by the definition, written independently of
    /// ``ModelWindowFinder``: the window and the operations completed before
    /// the base as they are, every other operation invoked before the window's
    /// last completion as an `info` one (reads then drop out).
    static func relaxed<M: DataModel>(_ window: [ModelOperation], _ base: Int, _ all: [ModelOperation], _ model: M.Type) -> [ModelOperation] {
        guard let last = window.map(\.completePosition).max(), let lastCall = window.map(\.invokePosition).max() else { return [] }
        let inWindow = Set(window.map(\.invokePosition))
        return window + all.filter { !inWindow.contains($0.invokePosition) && $0.key == window[0].key && $0.invokePosition < last }.map {
            $0.completePosition < min(base, lastCall) ? $0 : $0.indeterminate
        }
    }
}
