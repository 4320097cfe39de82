import Foundation
import Testing
@testable import Lab
@testable import Tools

/// `caplab check` as a user runs it: verdict on the first line, exit status 0/1/2/65.
@Suite struct CheckCommandTests {
    func write(_ text: String, _ name: String, in dir: TemporaryDirectory) throws -> String {
        let url = dir.url.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func exitStatusesAndFirstLines() throws {
        let dir = try TemporaryDirectory()
        let good = try write("""
            {:type :invoke, :f :write, :value 3, :process 0}
            {:type :ok, :f :write, :value 3, :process 0}
            {:type :invoke, :f :read, :value nil, :process 1}
            {:type :ok, :f :read, :value 3, :process 1}
            """, "good.edn", in: dir)
        let r0 = try CLITests.caplab(["check", good])
        #expect(r0.status == 0)
        #expect(r0.stdout.hasPrefix("linearizable\n"))

        let stale = try write("""
            {"type":"invoke","f":"write","process":0,"key":1,"value":3}
            {"type":"ok","f":"write","process":0,"key":1,"value":3}
            {"type":"invoke","f":"read","process":1,"key":1,"value":null}
            {"type":"ok","f":"read","process":1,"key":1,"value":null}
            """, "stale.jsonl", in: dir)
        let r1 = try CLITests.caplab(["check", stale])
        #expect(r1.status == 1)
        #expect(r1.stdout.hasPrefix("not linearizable\n"))
        #expect(r1.stdout.contains("lines 1–2: process 0 write 3 (ok)"))
        #expect(r1.stdout.contains("lines 3–4: process 1 read → nil (ok)"))

        var wide = ""
        for p in 0..<8 { wide += "{:type :invoke, :f :write, :value \(p + 1), :process \(p)}\n" }
        for p in 0..<8 { wide += "{:type :ok, :f :write, :value \(p + 1), :process \(p)}\n" }
        wide += "{:type :invoke, :f :read, :value nil, :process 9}\n{:type :ok, :f :read, :value 42, :process 9}\n"
        let hard = try write(wide, "hard.edn", in: dir)
        let r2 = try CLITests.caplab(["check", hard, "--budget", "5", "--search-only"])
        #expect(r2.status == 2)
        #expect(r2.stdout.hasPrefix("unknown\n"))
        // Unique written values: the zones decide it whatever the budget.
        let zones = try CLITests.caplab(["check", hard, "--budget", "5"])
        #expect(zones.status == 1)
        #expect(zones.stdout.contains("1 keys decided by zones"))

        let broken = try write("{:type :invoke, :f :read, :value nil, :process 0}\n{:type :ok, :f :read, :value nil, :process 0\n", "broken.edn", in: dir)
        let r65 = try CLITests.caplab(["check", broken])
        #expect(r65.status == 65)
        #expect(r65.stderr.contains("broken.edn:2:"))

        let missing = try CLITests.caplab(["check", dir.url.appendingPathComponent("nope.edn").path])
        #expect(missing.status == 65)
        #expect(missing.stderr.contains("cannot read"))
    }
}
