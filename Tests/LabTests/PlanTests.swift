import Foundation
import Simulation
import Stats
import Testing
@testable import Lab
@testable import Scenarios

/// `caplab plan`: exact availability, the evaluator's ranking and misses, plan-file errors, the CLI and the shipped plan.
@Suite struct PlanTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func twoSites(_ a: Int, _ b: Int, shares: (Double, Double) = (0.5, 0.5)) throws -> Topology {
        let ssd = try LatencyModelCatalog.bundled.model(named: "lnkd-ssd")
        let rtt = [[LatencyDistribution(.constant(0.5)), LatencyDistribution(.constant(40))],
                   [LatencyDistribution(.constant(40)), LatencyDistribution(.constant(0.5))]]
        return Topology(name: "ab", datacenters: [.init(name: "a", trafficShare: shares.0, replicas: a, service: ssd),
                                                  .init(name: "b", trafficShare: shares.1, replicas: b, service: ssd)], rtt: rtt)
    }

    static func served(_ failure: Failure, _ t: Topology, read: ConsistencyLevel, write: ConsistencyLevel, writes: Double = 0.5) -> Availability.Answer {
        Availability.served(failure, topology: t, replicas: t.replicasPerDatacenter, read: read, write: write, writeFraction: writes)
    }

    /// 3 + 3 replicas: known answers from the quorum arithmetic.
    @Test func availabilityKnownAnswers() throws {
        let t = try Self.twoSites(3, 3)
        // LOCAL_QUORUM (2 of the local 3) survives the loss of the other datacenter for local clients.
        let local = Self.served(.datacenterLost("b"), t, read: .localQuorum, write: .localQuorum)
        #expect(local.served == 1 && local.byDatacenter == [1, nil])
        // EACH_QUORUM needs a quorum in b too: no write is served.
        let each = Self.served(.datacenterLost("b"), t, read: .localQuorum, write: .eachQuorum, writes: 0.3)
        #expect(abs(each.served - 0.7) < 1e-12 && each.byDatacenter == [0.7, nil])
        // QUORUM over 6 needs 4: losing a datacenter of 3 fails everything; so does a partition, on both sides.
        #expect(ConsistencyLevel.quorum.requirement(replicas: [3, 3], coordinator: 0)?.total == 4)
        #expect(Self.served(.datacenterLost("a"), t, read: .quorum, write: .quorum).served == 0)
        #expect(Self.served(.datacenterPartitioned("a"), t, read: .quorum, write: .quorum).byDatacenter == [0, 0])
        // Any 2 nodes: QUORUM (4 of 6) still has 4; any 3 can leave 3.
        #expect(Self.served(.anyNodes(2), t, read: .quorum, write: .quorum).served == 1)
        #expect(Self.served(.anyNodes(3), t, read: .quorum, write: .quorum).served == 0)
        // LOCAL_QUORUM is 2 of the local 3: any 1 node leaves it whole; the worst 2 (both in one site) fail that site's clients.
        #expect(ConsistencyLevel.localQuorum.requirement(replicas: [3, 3], coordinator: 1)?.perDatacenter == [0, 2])
        #expect(Self.served(.anyNodes(1), t, read: .localQuorum, write: .localQuorum).served == 1)
        let two = Self.served(.anyNodes(2), t, read: .localQuorum, write: .localQuorum)
        #expect(two.served == 0.5 && two.down.sorted() == [0, 2])
        // LOCAL_QUORUM under a partition: each side keeps its own quorum.
        #expect(Self.served(.datacenterPartitioned("b"), t, read: .localQuorum, write: .localQuorum).served == 1)
        // ONE/ONE survives anything that leaves a replica reachable.
        #expect(Self.served(.anyNodes(5), t, read: .one, write: .one).served == 1)
        #expect(Self.served(.anyNodes(6), t, read: .one, write: .one).served == 0)
        // 2 + 1, R = W = 2: a partition leaves a's clients served, b's (one local replica) not.
        let small = try Self.twoSites(2, 1)
        let cut = Self.served(.datacenterPartitioned("b"), small, read: .count(2), write: .count(2))
        #expect(cut.byDatacenter == [1, 0] && cut.served == 0.5)
        // Any 1 node, 2 + 1, R = W = 3 (ALL): the worst node leaves 2 < 3.
        let all = Self.served(.anyNodes(1), small, read: .all, write: .all)
        #expect(all.served == 0 && all.down.reduce(0, +) == 1)
    }

    static let planText = """
        name: t
        topology:
          datacenters:
            - {name: a, traffic: 0.5, model: lnkd-ssd}
            - {name: b, traffic: 0.5, model: lnkd-ssd}
          rtt_ms: {a: {a: 0.5, b: 40}, b: {a: 40, b: 0.5}}
        workload: {write_fraction: 0.3, rate_per_s: 1000}
        objectives:
          read_p99_ms: 50
          p_consistent: {t_ms: 10, at_least: 0.999}
          survive:
            - {failure: any 1 node, availability: 1}
            - {failure: datacenter b partitioned, availability: 0.5}
        search:
          replicas: {a: [1, 2], b: [1, 2]}
          read_level: [1, 2, LOCAL_ONE, QUORUM]
          write_level: [1, 2, QUORUM, EACH_QUORUM]
        evaluation: {trials: 2000, confirm: 1, confirm_operations: 300}

        """

    @Test func evaluatorRanksCheapestFirstAndExplainsMisses() throws {
        let plan = try Plan.parse(Self.planText, file: "p.yaml")
        let answer = PlanEvaluator.evaluate(plan)
        #expect(answer.results.count == 4 * 4 * 4)
        #expect(answer.meeting > 0)
        let meeting = answer.results.prefix(answer.meeting)
        #expect(zip(meeting, meeting.dropFirst()).allSatisfy { $0.cost <= $1.cost })
        for r in meeting {
            #expect(r.violations.isEmpty && r.model!.readP99.value <= 50 && r.model!.consistency[0].p.value >= 0.999)
            #expect(r.availability.allSatisfy { $0.answer.served >= 0.5 })
        }
        // 1 + 1 with R = W = 1 fails "any 1 node"? No: one replica left serves ONE. But P(consistent at 10 ms) across 40 ms fails.
        let oneOne = try #require(answer.results.first { $0.candidate.replicas == [1, 1] && $0.candidate.readLevel == .count(1) && $0.candidate.writeLevel == .count(1) })
        #expect(!oneOne.meetsObjectives && oneOne.violations.contains { $0.objective == "p_consistent[t=10 ms]" && $0.value < 0.999 })
        // R = W = 2 over 1 + 1: any 1 node down breaks it.
        let twoTwo = try #require(answer.results.first { $0.candidate.replicas == [1, 1] && $0.candidate.readLevel == .count(2) && $0.candidate.writeLevel == .count(2) })
        #expect(twoTwo.violations.contains { $0.objective == "survive[any 1 node]" && $0.value == 0 })
        // The first meeting count-level candidate was confirmed in the simulator, model and simulator side by side.
        let confirmed = answer.results.filter { $0.confirmation != nil }
        #expect(confirmed.count == 1)
        // The frontier is non-dominated.
        for i in answer.frontier {
            let p = answer.results[i]
            #expect(!answer.results.contains { q in
                guard let qm = q.model, let pm = p.model else { return false }
                let qs = PlanEvaluator.staleness(q)!, ps = PlanEvaluator.staleness(p)!
                return q.cost <= p.cost && qm.readP99.value <= pm.readP99.value && qs <= ps
                    && (q.cost < p.cost || qm.readP99.value < pm.readP99.value || qs < ps)
            })
        }
        // JSON: the fields the issue lists, for every candidate.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(PlanOutput.json(answer).utf8)) as? [String: Any])
        let candidates = try #require(json["candidates"] as? [[String: Any]])
        #expect(candidates.count == answer.results.count)
        for key in ["replicas", "read_level", "write_level", "nodes", "cost", "read_p99_ms", "write_p99_ms", "p_consistent", "availability",
                    "meets_objectives", "violations"] {
            #expect(candidates.allSatisfy { $0[key] != nil }, "\(key)")
        }
        let point = try #require((candidates[0]["p_consistent"] as? [[String: Double]])?.first)
        #expect(Set(point.keys) == ["t_ms", "p", "ci_low", "ci_high"] && point["ci_low"]! <= point["p"]! && point["p"]! <= point["ci_high"]!)
        #expect((candidates[0]["replicas"] as? [String: Int])?.keys.sorted() == ["a", "b"])
        // CSV: one row per candidate, the documented columns.
        #expect(PlanOutput.csv(answer).columns == PlanOutput.columns.map(\.name) && PlanOutput.csv(answer).rows.count == answer.results.count)
    }

    /// Objectives nobody can meet: said so, with the nearest misses, never an empty answer.
    @Test func unmeetableObjectivesShowTheNearestMisses() throws {
        let plan = try Plan.parse(Self.planText.replacingOccurrences(of: "read_p99_ms: 50", with: "read_p99_ms: 0.01"), file: "p.yaml")
        let answer = PlanEvaluator.evaluate(plan, confirm: false)
        #expect(answer.meeting == 0)
        let text = PlanOutput.table(answer)
        #expect(text.contains("No configuration meets every objective. Nearest misses:"))
        #expect(text.contains("read_p99_ms"))
        // The nearest miss breaks only the latency objective.
        #expect(answer.results[0].violations.map(\.objective) == ["read_p99_ms"])
    }

    @Test func badPlanFilesNameFileKeyAndExpectation() {
        func message(_ yaml: String) -> String {
            do { _ = try Plan.parse(yaml, file: "p.yaml"); return "" } catch { return "\(error)" }
        }
        let base = Self.planText
        #expect(message(base.replacingOccurrences(of: "rtt_ms: {a: {a: 0.5, b: 40}, b: {a: 40, b: 0.5}}", with: "rtt_ms: [[0.5, 40], [40]]"))
            == "p.yaml: topology.rtt_ms[1]: expected a square matrix: a row of 2 round-trip times")
        #expect(message(base.replacingOccurrences(of: "rtt_ms: {a: {a: 0.5, b: 40}, b: {a: 40, b: 0.5}}", with: "rtt_ms: [[0.5, 40]]"))
            == "p.yaml: topology.rtt_ms: expected a square matrix: 2 rows (one per datacenter), got 1")
        #expect(message(base.replacingOccurrences(of: "b: {a: 40, b: 0.5}", with: "c: {a: 40, b: 0.5}"))
            == "p.yaml: topology.rtt_ms.c: unknown datacenter; expected one of a, b")
        #expect(message(base.replacingOccurrences(of: "b: {a: 40, b: 0.5}", with: "b: {a: 40}"))
            == "p.yaml: topology.rtt_ms.b.b: missing; expected the round-trip time from b to b (a square matrix)")
        #expect(message(base.replacingOccurrences(of: "b: 40}", with: "b: -40}"))
            == "p.yaml: topology.rtt_ms.a.b: expected a finite number from 0.0 to 1e9, got '-40'")
        #expect(message(base.replacingOccurrences(of: "b: 40}", with: "b: .nan}")).hasPrefix("p.yaml: topology.rtt_ms.a.b: expected a finite number"))
        #expect(message(base.replacingOccurrences(of: "read_p99_ms: 50", with: "read_p99_ms: .inf")).hasPrefix("p.yaml: objectives.read_p99_ms: expected a finite number"))
        #expect(message(base.replacingOccurrences(of: "read_level: [1, 2, LOCAL_ONE, QUORUM]", with: "read_level: []"))
            == "p.yaml: search.read_level: empty search space: expected at least one level")
        #expect(message(base.replacingOccurrences(of: "replicas: {a: [1, 2], b: [1, 2]}", with: "replicas: {a: 0, b: 0}"))
            == "p.yaml: search.replicas: empty search space: every range is 0 replicas")
        #expect(message(base.replacingOccurrences(of: "replicas: {a: [1, 2], b: [1, 2]}", with: "replicas: {a: [1, 2]}"))
            == "p.yaml: search.replicas.b: missing; expected a count or [min, max] of replicas in b")
        #expect(message(base.replacingOccurrences(of: "read_level: [1, 2, LOCAL_ONE, QUORUM]", with: "read_level: [MOST]"))
            .hasPrefix("p.yaml: search.read_level: expected a count ≥ 1 or one of ONE, TWO"))
        #expect(message(base.replacingOccurrences(of: "failure: datacenter b partitioned", with: "failure: datacenter c lost"))
            == "p.yaml: objectives.survive[1].failure: unknown datacenter 'c'; expected one of a, b")
        #expect(message(base.replacingOccurrences(of: "failure: any 1 node", with: "failure: a meteor"))
            .hasPrefix("p.yaml: objectives.survive[0].failure: expected 'any K node(s)'"))
        #expect(message(base.replacingOccurrences(of: "at_least: 0.999", with: "at_least: 1.5"))
            == "p.yaml: objectives.p_consistent[0].at_least: expected a probability in (0, 1], got 1.5")
        #expect(message(base.replacingOccurrences(of: "model: lnkd-ssd}", with: "model: nvme}")).hasPrefix("p.yaml: topology.datacenters[0].model: unknown latency model 'nvme'"))
        #expect(message(base.replacingOccurrences(of: "{name: a, traffic: 0.5,", with: "{name: a, replicas: 3, traffic: 0.5,"))
            == "p.yaml: topology.datacenters[0].replicas: not in a plan: search.replicas gives the replicas per datacenter")
        #expect(message(base + "budget: 3\n").hasPrefix("p.yaml: budget: unknown key; expected one of"))
        #expect(message(base.replacingOccurrences(of: "objectives:", with: "goals:")).hasPrefix("p.yaml: goals: unknown key"))
        #expect(message("- 1\n") == "p.yaml: expected a mapping of keys (topology, workload, objectives, cost, search, evaluation)")
    }

    /// The CLI: the shipped plan's file parses; a bad file exits non-zero with the message; unmeetable exits 2.
    @Test func cliErrorsAndShippedPlan() throws {
        let shipped = Self.root.appendingPathComponent("Benchmarks/Plans/two-datacenters.yaml").path
        let plan = try Plan.load(path: shipped)
        #expect(plan.topology.datacenters.map(\.name) == ["east", "west"] && PlanEvaluator.candidates(plan).count == 9 * 36)
        let dir = try TemporaryDirectory()
        let bad = dir.url.appendingPathComponent("bad.yaml")
        try "topology: {datacenters: [{name: a}]}\nsearch: {replicas: {a: 1}, read_level: ONE, write_level: ONE}\nobjectives: {read_p99_ms: -1}\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let r = try CLITests.caplab(["plan", bad.path])
        #expect(r.status == 1 && r.stderr.contains("\(bad.path): objectives.read_p99_ms: expected a finite number from 0.0 to 1e9, got '-1'"))
        let tight = dir.url.appendingPathComponent("tight.yaml")
        try "topology: {datacenters: [{name: a}]}\nsearch: {replicas: {a: [1, 3]}, read_level: [1, 2], write_level: [1, 2]}\nobjectives: {read_p99_ms: 0.001}\n"
            .write(to: tight, atomically: true, encoding: .utf8)
        let t = try CLITests.caplab(["plan", tight.path, "--no-simulate"])
        #expect(t.status == 2 && t.stdout.contains("No configuration meets every objective"), "\(t.stderr)")
    }
}
