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

    /// An interrupt (SIGINT sets the flag) during a key's search: status 130 and what was decided so far.
    @Test func interruptedCheckExits130() throws {
        let dir = try TemporaryDirectory()
        var lines: [String] = []
        for p in 0..<12 { lines.append("{:type :invoke, :f :write, :value \(p + 1), :process \(p)}") }
        for p in 0..<12 { lines.append("{:type :ok, :f :write, :value \(p + 1), :process \(p)}") }
        lines += ["{:type :invoke, :f :read, :value nil, :process 20}", "{:type :ok, :f :read, :value 42, :process 20}"]
        let path = try write(lines.joined(separator: "\n"), "hard.edn", in: dir)
        let outcome = HistoryCheck.run(path: path, stepBudgetPerKey: 50_000_000, memoBytesPerKey: 1 << 30, usesZones: false,
                                       interrupted: { true })
        #expect(outcome.status == 130)
        #expect(outcome.stdout.hasPrefix("unknown\n"))
        #expect(outcome.stdout.contains("interrupted: 1 keys not checked"))
        #expect(outcome.stdout.contains("staleness: not measured (interrupted)"))
        let r = try CLITests.caplab(["check", path, "--time-budget", "0"])
        #expect(r.status == 64 || r.status == 2 || r.stderr.contains("--time-budget: expected a positive number of seconds"))
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

    /// Issue #19 defect 6: nothing is dropped silently, an empty history has
    /// no verdict, keyword and string keys check; defect 2: deep nesting is
    /// an error with line and column, not a crash.
    @Test func badAndUnusualInputs() throws {
        let dir = try TemporaryDirectory()
        let stringProcess = try write("""
            {"type":"invoke","f":"write","process":0,"value":1}
            {"type":"ok","f":"write","process":0,"value":1}
            {"type":"invoke","f":"read","process":"1","value":null}
            {"type":"ok","f":"read","process":"1","value":null}
            """, "strings.jsonl", in: dir)
        let r1 = try CLITests.caplab(["check", stringProcess])
        #expect(r1.status == 65)
        #expect(r1.stderr.contains("strings.jsonl:3: field 'process': expected an integer (or :nemesis, whose events are skipped), got string \"1\""))

        let empty = try write("", "empty.edn", in: dir)
        let r2 = try CLITests.caplab(["check", empty])
        #expect(r2.status == 65)
        #expect(r2.stderr.contains("no client operations"))
        let onlyNemesis = try write("{:type :info, :f :start, :value nil, :process :nemesis}\n", "nemesis.edn", in: dir)
        let r3 = try CLITests.caplab(["check", onlyNemesis])
        #expect(r3.status == 65)
        #expect(r3.stderr.contains("only 1 :nemesis events"))

        let keyed = try write("""
            {:type :info, :f :start, :value nil, :process :nemesis}
            {:type :invoke, :f :write, :value [:a 1], :process 0, :time 0}
            {:type :ok, :f :write, :value [:a 1], :process 0, :time 10}
            {:type :invoke, :f :read, :value [:a nil], :process 1, :time 30}
            {:type :ok, :f :read, :value [:a nil], :process 1, :time 40}
            {:type :invoke, :f :read, :value ["x" nil], :process 2, :time 41}
            {:type :ok, :f :read, :value ["x" nil], :process 2, :time 42}
            """, "keyed.edn", in: dir)
        let r4 = try CLITests.caplab(["check", keyed])
        #expect(r4.status == 1)
        #expect(r4.stdout.contains("key :a: these 2 operations cannot be ordered"))
        #expect(r4.stdout.contains("skipped 1 :nemesis events"))
        // Staleness: the stale read of :a needs its start moved back 20 ns; key "x" is linearizable.
        #expect(r4.stdout.contains("staleness (Δ-atomicity, Golab, Li & Shah 2011; Δ in ns): 1 keys Δ = 0; Δ over keys: median 0, p99 20, max 20"))
        #expect(r4.stdout.contains("  key :a: Δ = 20 ns\n"))
        #expect(r4.stdout.contains("versions behind (reads; a lower bound"))
        #expect(r4.stdout.contains("0: 1, 1: 1"))
        // Exact 2-atomicity: :a's read of the empty register is the 2nd latest write.
        #expect(r4.stdout.contains("2-atomicity (exact; Golab, Hurwitz & Li 2013's definition): 2 keys 2-atomic, 0 not 2-atomic\n"))

        let deep = try write("\n\n   " + String(repeating: "[", count: 100_000), "deep.edn", in: dir)
        let r5 = try CLITests.caplab(["check", deep])
        #expect(r5.status == 65)
        #expect(r5.stderr.contains("deep.edn:3:260: nested more than 256 deep"))
    }
}

