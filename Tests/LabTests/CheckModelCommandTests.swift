import Foundation
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
        #expect(inferred.stdout.contains("key \"x\": no order of its 3 operations gets past the completion on line 6"))
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
}
