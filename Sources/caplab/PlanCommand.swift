import ArgumentParser
import Foundation
import Lab
import Scenarios
import Simulation

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Capacity planning: objectives in, the cheapest replication configurations that meet them out (one datacenter or many).",
        discussion: """
            PLANFILE (YAML; commented example: Benchmarks/Plans/two-datacenters.yaml) gives a topology (datacenters, \
            their share of clients, latency model, an RTT matrix), the workload (write_fraction, rate_per_s), objectives, \
            prices and a search space. Every candidate (replicas per datacenter × read level × write level × read repair × \
            sloppy quorum × versioning) is costed and checked:
              1. availability under each failure, exact from quorum arithmetic;
              2. latency and staleness from the topology-aware PBS Monte Carlo, with 95 % intervals (more trials where an \
            interval straddles an objective);
              3. the best candidates (or nearest misses) confirmed in the simulator, failures as fault schedules; model and \
            simulator are printed side by side.

            Objectives (any subset, under `objectives:`):
              read_p99_ms, write_p99_ms, read_p999_ms, write_p999_ms   latency ceilings, ms
              p_consistent: {t_ms: T, at_least: P}   P(a read started T ms after a write commits sees it) ≥ P (a list allowed)
              t_visibility: {p: P, at_most_ms: T}    the time after which P(consistent) ≥ P is at most T
              survive: [{failure: F, availability: A}]   fraction of client requests served under F ≥ A, with F one of
                'any K node(s)' (the worst K replicas down), 'datacenter X lost' (its replicas down; its clients gone, the \
            others count), 'datacenter X partitioned' (cut off from the rest: its clients reach only its replicas)
              lost_writes_at_most: F   acknowledged writes lost (simulator, confirmed candidates only; LWW vs vector clocks)
            Cost: Σ replicas × cost.price_per_node (per datacenter, default 1); messages per operation break ties.

            Levels (search.read_level, search.write_level): a count, or ONE, TWO, THREE, QUORUM (⌊N/2⌋+1 of all N), ALL, \
            LOCAL_ONE and LOCAL_QUORUM (in the coordinator's datacenter), EACH_QUORUM (a quorum in every datacenter with \
            replicas). The simulator's Dynamo core counts answers, so LOCAL_* and EACH_QUORUM candidates rest on the model alone.

            Message delay model (shared with `caplab pbs --topology` and `caplab simulate` with `topology:`): a message \
            between datacenters a and b takes RTT(a, b)/2 plus a draw from the WARS leg it plays (W, A, R, S) in the model of \
            the replica's datacenter; within a datacenter RTT(a, a)/2 plus the draw. The coordinator is in the client's \
            datacenter, drawn by traffic share.

            --out DIR writes DIR/plan-frontier.csv (one row per candidate), .json and .png (the frontier, every point labelled; \
            needs gnuplot and plots-scripts/plan-frontier.gp).
            Example:  caplab plan Benchmarks/Plans/two-datacenters.yaml --out /tmp/plan
            """)

    @Argument(help: "The plan file (YAML).")
    var planFile: String

    @Option(name: .long, help: "Output on stdout: table (ranked, with misses and the frontier), csv (one row per candidate) or json.")
    var format: String = "table"

    @Option(name: .long, help: "Also write plan-frontier.csv, .json and .png into this directory.")
    var out: String?

    @Option(name: .long, help: "Directory holding the gnuplot scripts (for the PNG).")
    var scripts: String = "plots-scripts"

    @Flag(name: .long, help: "Skip the simulator confirmation (model and quorum arithmetic only).")
    var noSimulate = false

    func validate() throws {
        if PlanOutput.Format(rawValue: format) == nil { throw ValidationError("--format: expected table, csv or json, got '\(format)'") }
    }

    func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("caplab plan: error: \(message)\n".utf8))
        return ExitCode.failure
    }

    func run() throws {
        let plan: Plan
        do { plan = try Plan.load(path: planFile) } catch let error as Scenario.Error { throw fail(error.description) }
        let answer = PlanEvaluator.evaluate(plan, confirm: !noSimulate) { message in
            FileHandle.standardError.write(Data("caplab plan: \(message)\n".utf8))
        }
        if let out {
            let directory = URL(fileURLWithPath: out)
            do {
                try AtomicFile.ensureWritableDirectory(directory)
                try AtomicFile.write(PlanOutput.csv(answer).rendered(), to: directory.appendingPathComponent("plan-frontier.csv"))
                try AtomicFile.write(PlanOutput.json(answer), to: directory.appendingPathComponent("plan-frontier.json"))
            } catch {
                throw fail("cannot write into '\(out)': \(error)")
            }
            do {
                let png = try Plotter.plot("plan-frontier", scripts: URL(fileURLWithPath: scripts), results: directory)
                FileHandle.standardError.write(Data("caplab plan: wrote \(png.path)\n".utf8))
            } catch let error as LabError {
                FileHandle.standardError.write(Data("caplab plan: no PNG: \(error.description)\n".utf8))
            }
        }
        print(PlanOutput.render(answer, as: PlanOutput.Format(rawValue: format)!), terminator: "")
        if answer.meeting == 0 { throw ExitCode(2) }
    }
}
