import Foundation
import Lab
import Scenarios

/// `plan-frontier`: the answer of the shipped capacity plan
/// (`Benchmarks/Plans/two-datacenters.yaml`, the question of issue 16: two
/// datacenters 40 ms apart, N = 3 or 5, what p99 and staleness, what if one
/// is cut off) — one row per candidate configuration, exactly the CSV
/// `caplab plan --out` writes, drawn as the labelled Pareto frontier.
/// The quick grid runs the same plan with fewer trials and simulator runs.
enum PlanFrontier {
    static let name = "plan-frontier"
    static let planFile = "Benchmarks/Plans/two-datacenters.yaml"

    static let columns = Columns(
        Column(PlanOutput.columns[0].name, PlanOutput.columns[0].meaning),
        Column(PlanOutput.columns[1].name, PlanOutput.columns[1].meaning),
        Column(PlanOutput.columns[2].name, PlanOutput.columns[2].meaning),
        Column(PlanOutput.columns[3].name, PlanOutput.columns[3].meaning),
        Column(PlanOutput.columns[4].name, PlanOutput.columns[4].meaning),
        Column(PlanOutput.columns[5].name, PlanOutput.columns[5].meaning),
        Column(PlanOutput.columns[6].name, PlanOutput.columns[6].meaning),
        Column(PlanOutput.columns[7].name, PlanOutput.columns[7].meaning),
        Column(PlanOutput.columns[8].name, PlanOutput.columns[8].meaning),
        Column(PlanOutput.columns[9].name, PlanOutput.columns[9].meaning),
        Column(PlanOutput.columns[10].name, PlanOutput.columns[10].meaning),
        Column(PlanOutput.columns[11].name, PlanOutput.columns[11].meaning),
        Column(PlanOutput.columns[12].name, PlanOutput.columns[12].meaning),
        Column(PlanOutput.columns[13].name, PlanOutput.columns[13].meaning),
        Column(PlanOutput.columns[14].name, PlanOutput.columns[14].meaning),
        Column(PlanOutput.columns[15].name, PlanOutput.columns[15].meaning),
        Column(PlanOutput.columns[16].name, PlanOutput.columns[16].meaning),
        Column(PlanOutput.columns[17].name, PlanOutput.columns[17].meaning),
        Column(PlanOutput.columns[18].name, PlanOutput.columns[18].meaning),
        Column(PlanOutput.columns[19].name, PlanOutput.columns[19].meaning),
        Column(PlanOutput.columns[20].name, PlanOutput.columns[20].meaning),
        Column(PlanOutput.columns[21].name, PlanOutput.columns[21].meaning),
        Column(PlanOutput.columns[22].name, PlanOutput.columns[22].meaning),
        Column(PlanOutput.columns[23].name, PlanOutput.columns[23].meaning),
        Column(PlanOutput.columns[24].name, PlanOutput.columns[24].meaning),
        Column(PlanOutput.columns[25].name, PlanOutput.columns[25].meaning),
        Column(PlanOutput.columns[26].name, PlanOutput.columns[26].meaning),
        Column(PlanOutput.columns[27].name, PlanOutput.columns[27].meaning),
        Column(PlanOutput.columns[28].name, PlanOutput.columns[28].meaning),
        Column(PlanOutput.columns[29].name, PlanOutput.columns[29].meaning),
        Column(PlanOutput.columns[30].name, PlanOutput.columns[30].meaning),
        Column(PlanOutput.columns[31].name, PlanOutput.columns[31].meaning),
        Column(PlanOutput.columns[32].name, PlanOutput.columns[32].meaning),
        Column(PlanOutput.columns[33].name, PlanOutput.columns[33].meaning)
    )

    static func adjust(_ plan: inout Plan, _ scale: Scale) {
        switch scale {
        case .quick:
            plan.evaluation.trials = 2_000
            plan.evaluation.confirm = 1
            plan.evaluation.confirmOperations = 400
        case .standard: break
        case .full:
            plan.evaluation.trials *= 4
            plan.evaluation.confirmOperations *= 4
        }
    }

    static let experiment = Experiment(
        name: name,
        summary: "capacity plan Benchmarks/Plans/two-datacenters.yaml: every candidate, cost, model p99/staleness/availability, frontier, simulator check",
        parameters: [
            Parameter("plan", "the plan file (relative to the repository root)") { _ in [planFile] },
            Parameter("trials", "Monte Carlo trials per configuration before refinement") { scale in
                [scale == .quick ? "2000" : (scale == .full ? "4 × the plan's" : "the plan's (evaluation.trials)")]
            },
        ],
        columns: columns,
        summaryColumns: ["rank", "label", "cost", "read_p99_ms", "write_p99_ms", "p_consistent", "availability", "meets_objectives", "frontier"],
        steps: { _ in 1 },
        run: run)

    static func run(_ context: RunContext) throws -> [Row] {
        var plan: Plan
        do {
            plan = try Plan.load(path: planFile)
        } catch let error as Scenario.Error {
            throw LabError.experimentFailed(name, "\(error.description) (run from the repository root)")
        }
        plan.evaluation.seed = context.seed
        adjust(&plan, context.scale)
        let answer = PlanEvaluator.evaluate(plan)
        context.progress.advance("\(answer.results.count) candidates, \(answer.meeting) meet the objectives")
        return PlanOutput.csv(answer).rows.map { c in columns.row(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13], c[14], c[15], c[16], c[17], c[18], c[19], c[20], c[21], c[22], c[23], c[24], c[25], c[26], c[27], c[28], c[29], c[30], c[31], c[32], c[33]) }
    }
}
