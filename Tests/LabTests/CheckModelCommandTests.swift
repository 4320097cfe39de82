import Foundation
import Synchronization
import Testing
@testable import Lab
@testable import Tools

/// `caplab check --model`: the model named or inferred, and said in the output.
extension CheckCommandTests {
    @Test func modelsInferredNamedAndRefused() throws {
        let dir = try TemporaryDirectory()
        let cas = try write("""
            {:type :invoke, :f :write, :value ["x" 1], :process 0}
            {:type :ok, :f :write, :value ["x" 1], :process 0}
            {:type :invoke, :f :cas, :value ["x" [1 2]], :process 1}
            {:type :ok, :f :cas, :value ["x" [1 2]], :process 1}
            {:type :invoke, :f :cas, :value ["x" [1 3]], :process 0}
            {:type :ok, :f :cas, :value ["x" [1 3]], :process 0}
            """, "cas.edn", in: dir)
        let inferred = try CLITests.caplab(["check", cas])
        #expect(inferred.status == 1)
        #expect(inferred.stdout.hasPrefix("not linearizable\n"))
        // The lost update's shrunk window: the two cas; the write of 1 may take effect or not.
        #expect(inferred.stdout.contains("""
            key "x": these 2 operations cannot be ordered, starting from the cas-register model's initial state:
              lines 3-4  process 1  :cas [1 2]  ok
              lines 5-6  process 0  :cas [1 3]  ok
              even letting these 1 other operations of key "x" take effect at any time after their invocation, or not at all:
                lines 1-2  process 0  :write 1  ok
              longest partial linearization found: 2 of the key's 3 operations
            """))
        #expect(inferred.stdout.contains("model: cas-register (inferred: :cas on line 3)"))

        let wrong = try CLITests.caplab(["check", cas, "--model", "kv"])
        #expect(wrong.status == 65)
        #expect(wrong.stderr.contains("cas.edn:3: field 'f': the kv model takes"))

        let unknownModel = try CLITests.caplab(["check", cas, "--model", "queue"])
        #expect(unknownModel.status != 0)
        #expect(unknownModel.stderr.contains("expected one of register, cas-register, kv, set"))

        let kv = try write("""
            {"type":"invoke","f":"append","key":"k","value":"a","process":0}
            {"type":"ok","f":"append","key":"k","value":"a","process":0}
            {"type":"invoke","f":"get","key":"k","value":null,"process":1}
            {"type":"ok","f":"get","key":"k","value":"a","process":1}
            """, "kv.jsonl", in: dir)
        let r = try CLITests.caplab(["check", kv])
        #expect(r.status == 0)
        #expect(r.stdout.contains("model: kv (inferred: :append on line 1)"))

        let register = try write("{:type :invoke, :f :write, :value 3, :process 0}\n{:type :ok, :f :write, :value 3, :process 0}\n", "r.edn", in: dir)
        let named = try CLITests.caplab(["check", register, "--model", "register"])
        #expect(named.stdout.contains("model: register (--model register)"))
        let plain = try CLITests.caplab(["check", register])
        #expect(plain.stdout.contains("model: register (inferred: every operation is :read or :write)"))
    }

    /// The model search honours --budget, --time-budget (an injected clock) and Ctrl-C as registers do:
    /// the same words, exit 2 for unknown and 130 interrupted.
    @Test func modelBudgetsAndInterrupt() throws {
        // cas-register on key :k: w1; cas [1 1]; 14 concurrent writes; a read of 42 (2¹⁴ · 14 configurations to refute it); a write on :z.
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ConsistencyTests/Fixtures/model-cas-hard.edn").path
        let steps = try CLITests.caplab(["check", path, "--budget", "100000"])
        #expect(steps.status == 2)
        #expect(steps.stdout.hasPrefix("unknown\n"))
        #expect(steps.stdout.contains("key :k: gave up after 100001 search steps (step budget exhausted); no verdict for this key; longest linearizable prefix found: 16 operations\n"))
        #expect(steps.stdout.contains("model: cas-register (inferred: :cas on line 3)"))

        let ticks = Mutex<UInt64>(0)
        let timed = HistoryCheck.run(path: path, stepBudgetPerKey: 50_000_000, memoBytesPerKey: 1 << 30,
                                     timeBudgetPerKeyNanoseconds: 10_000_000,
                                     clock: { ticks.withLock { $0 += 1_000_000; return $0 } })
        #expect(timed.status == 2)
        #expect(timed.stdout.contains("key :k: gave up after "))
        #expect(timed.stdout.contains(" search steps (time budget exhausted); no verdict for this key; longest linearizable prefix found: "))

        let interrupted = HistoryCheck.run(path: path, stepBudgetPerKey: 50_000_000, memoBytesPerKey: 1 << 30, interrupted: { true })
        #expect(interrupted.status == 130)
        #expect(interrupted.stdout.hasPrefix("unknown\n"))
        #expect(interrupted.stdout.contains("interrupted: 2 keys not checked; the verdicts above are what was decided so far\n"))
    }
}
