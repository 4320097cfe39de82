import Foundation
import Testing
@testable import Lab
@testable import Tools

/// `caplab pbs` as a user runs it: the JSON and CSV shapes issue 7 fixes, and clear errors.
@Suite struct PBSCommandTests {
    @Test func jsonHasTheIssuesShape() throws {
        let r = try CLITests.caplab(["pbs", "--model", "lnkd-ssd", "-n", "3", "-r", "1", "-w", "1", "--t", "0", "1", "--trials", "20000", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["model", "n", "r", "w", "trials", "read_ms", "write_ms", "consistency", "t_visibility_ms", "k_staleness", "topology"])
        #expect((object["topology"] as? String)?.hasPrefix("one datacenter") == true)
        #expect(object["model"] as? String == "lnkd-ssd" && object["trials"] as? Int == 20000)
        #expect(Set((object["read_ms"] as? [String: Double])?.keys ?? [:].keys) == ["p50", "p99", "p99.9"])
        let consistency = try #require(object["consistency"] as? [[String: Double]])
        #expect(consistency.map { $0["t_ms"] } == [0, 1])
        let tv = try #require(object["t_visibility_ms"] as? [String: Any])
        #expect(tv["p"] as? Double == 0.999 && (tv["ci95"] as? [Double])?.count == 2)
        let k = try #require(object["k_staleness"] as? [[String: Double]])
        // 1 − (2/3)^k for N=3, R=W=1.
        #expect(abs(k[0]["p_consistent"]! - 1.0 / 3) < 1e-5 && abs(k[1]["p_consistent"]! - 5.0 / 9) < 1e-5)
    }

    @Test func csvIsOneHeaderAndOneRow() throws {
        let r = try CLITests.caplab(["pbs", "--model", "wan", "-n", "3", "-r", "2", "-w", "1", "--t", "0", "2.5", "--trials", "5000", "--format", "csv"])
        #expect(r.status == 0)
        let table = try #require(CSVTable.parse(r.stdout))
        #expect(table.rows.count == 1)
        for column in ["read_ms_p99_9", "write_ms_p50", "p_consistent_t_0_ms", "p_consistent_t_2_5_ms", "t_visibility_ms_ci95_high", "p_consistent_k_3"] {
            #expect(table.columns.contains(column), "\(column)")
        }
    }

    /// The output names the topology it assumed: one site, the wan preset, or the --topology file's.
    @Test func saysWhichTopologyItAssumed() throws {
        let wan = try CLITests.caplab(["pbs", "--model", "wan", "-n", "5", "-r", "2", "-w", "2", "--trials", "2000"])
        #expect(wan.status == 0 && wan.stdout.contains("assumes wan preset: two datacenters 75 ms apart one way, exactly one replica"))
        let dir = try TemporaryDirectory()
        let file = dir.url.appendingPathComponent("t.yaml")
        try """
            name: two
            datacenters:
              - {name: east, traffic: 0.5, replicas: 3, model: lnkd-ssd}
              - {name: west, traffic: 0.5, replicas: 2, model: lnkd-disk}
            rtt_ms: {east: {east: 0.5, west: 40}, west: {east: 40, west: 0.5}}
            """.write(to: file, atomically: true, encoding: .utf8)
        let r = try CLITests.caplab(["pbs", "--topology", file.path, "--read-level", "LOCAL_QUORUM", "--write-level", "QUORUM", "--trials", "5000",
                                     "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["n"] as? Int == 5 && object["read_level"] as? String == "LOCAL_QUORUM" && object["write_level"] as? String == "QUORUM")
        #expect((object["topology"] as? String)?.contains("east (3 replicas, lnkd-ssd, 50 % share)") == true)
        // QUORUM of 5 is 3: east's clients find them at home, west's (half the writes) need an east replica, 40 ms away.
        #expect(((object["write_ms"] as? [String: Double])?["p99"] ?? 0) >= 40)
        let table = try CLITests.caplab(["pbs", "--topology", file.path, "-r", "1", "-w", "1", "--trials", "2000"])
        #expect(table.status == 0 && table.stdout.contains("assumes topology two: east (3 replicas"))
        try "datacenters: [{name: a}, {name: b}]\nrtt_ms: [[1, 2], [3]]\n".write(to: file, atomically: true, encoding: .utf8)
        let bad = try CLITests.caplab(["pbs", "--topology", file.path, "-r", "1", "-w", "1"])
        #expect(bad.status != 0 && bad.stderr.contains("\(file.path): rtt_ms[1]: expected a square matrix: a row of 2 round-trip times"))
        try "datacenters: [{name: a, replicas: 2}]\n".write(to: file, atomically: true, encoding: .utf8)
        let level = try CLITests.caplab(["pbs", "--topology", file.path, "--read-level", "LOCAL_QUORUM", "--write-level", "THREE"])
        #expect(level.status != 0 && level.stderr.contains("write level THREE cannot be met for clients in a"))
    }

    @Test func badRequestsAreClearErrors() throws {
        let model = try CLITests.caplab(["pbs", "--model", "nvme", "-n", "3", "-r", "1", "-w", "1"])
        #expect(model.status != 0 && model.stderr.contains("unknown latency model 'nvme'") && model.stderr.contains("lnkd-ssd"))
        let quorum = try CLITests.caplab(["pbs", "--model", "ymmr", "-n", "3", "-r", "4", "-w", "1"])
        #expect(quorum.status != 0 && quorum.stderr.contains("-r: expected 1 ≤ R ≤ N = 3, got 4"))
        let p = try CLITests.caplab(["pbs", "--model", "ymmr", "-n", "3", "-r", "1", "-w", "1", "--p", "1.5"])
        #expect(p.status != 0 && p.stderr.contains("--p"))
        let format = try CLITests.caplab(["pbs", "--model", "ymmr", "-n", "3", "-r", "1", "-w", "1", "--format", "xml"])
        #expect(format.status != 0 && format.stderr.contains("--format"))
        let file = try CLITests.caplab(["pbs", "--models", "/nonexistent/m.json", "--model", "x", "-n", "3", "-r", "1", "-w", "1"])
        #expect(file.status != 0 && file.stderr.contains("/nonexistent/m.json: cannot read the file"))
    }
}
