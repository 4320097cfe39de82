import ArgumentParser
import Foundation
import Lab
import Tools

struct PBSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pbs",
        abstract: "Probabilistically Bounded Staleness: latency and staleness of a Dynamo-style N/R/W quorum (WARS Monte Carlo).",
        discussion: """
            Bailis et al., PVLDB 2012. Prints read and write latency percentiles, P(consistent read) at the given times \
            after a write commits, the t-visibility for probability --p with a 95 % confidence interval, and the \
            closed-form k-staleness 1 − (C(N−W,R)/C(N,R))^k. Models: lnkd-ssd, lnkd-disk, ymmr, wan (built in), or \
            any model in a --models JSON file of the same shape.
            Example:  caplab pbs --model lnkd-ssd -n 3 -r 1 -w 1 --t 0 1 5 --format json
            """)

    @Option(name: .long, help: "Latency model: lnkd-ssd, lnkd-disk, ymmr, wan, or a name in --models.")
    var model: String

    @Option(name: .customShort("n"), help: "Replicas per key (N, 1 to \(PBSCalculator.maxReplicas)).")
    var n: Int

    @Option(name: .customShort("r"), help: "Read quorum (R).")
    var r: Int

    @Option(name: .customShort("w"), help: "Write quorum (W).")
    var w: Int

    @Option(name: .customLong("t"), parsing: .upToNextOption, help: "Times after commit, in ms, at which to report P(consistent).")
    var t: [Double] = [0, 1, 5, 10, 100]

    @Option(name: .customLong("p"), help: "Probability for the t-visibility.")
    var p: Double = 0.999

    @Option(name: .long, help: "Monte Carlo trials (1 to \(PBSCalculator.maxTrials); trials × N² at most \(PBSCalculator.maxWork)).")
    var trials: Int = 1_000_000

    @Option(name: .customLong("k"), parsing: .upToNextOption, help: "Versions for the closed-form k-staleness.")
    var k: [Int] = [1, 2, 3]

    @Option(name: .long, help: "Output: table, csv (one header row, one value row) or json (one object).")
    var format: String = "table"

    @Option(name: .long, help: "Seed of the Monte Carlo; the same seed gives the same numbers.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "A JSON file of latency models shaped like latency-models.json (default: the built-in presets).")
    var models: String?

    func validate() throws {
        if PBSCalculator.Format(rawValue: format) == nil {
            throw ValidationError("--format: expected table, csv or json, got '\(format)'")
        }
    }

    func run() throws {
        let request = PBSCalculator.Request(
            model: model, n: n, r: r, w: w, times: t, probability: p, trials: trials, ks: k, seed: seed, modelsFile: models)
        do {
            print(try PBSCalculator.report(request, as: PBSCalculator.Format(rawValue: format)!), terminator: "")
        } catch let error as PBSCalculator.RequestError {
            FileHandle.standardError.write(Data("caplab pbs: error: \(error.description)\n".utf8))
            throw ExitCode(error.status.rawValue)
        }
    }
}
