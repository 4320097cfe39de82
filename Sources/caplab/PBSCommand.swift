import ArgumentParser
import Foundation
import Lab
import Scenarios
import Simulation
import Tools

struct PBSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pbs",
        abstract: "Probabilistically Bounded Staleness: latency and staleness of a Dynamo-style N/R/W quorum (WARS Monte Carlo).",
        discussion: """
            Bailis et al., PVLDB 2012. Prints read and write latency percentiles, P(consistent read) at the given times \
            after a write commits, the t-visibility for probability --p with a 95 % confidence interval, and the \
            closed-form k-staleness 1 − (C(N−W,R)/C(N,R))^k. Models: lnkd-ssd, lnkd-disk, ymmr, wan (built in), or \
            any model in a --models JSON file of the same shape. The output says which topology it assumed: with \
            --model, one datacenter (wan: the paper's preset, exactly one replica local to the coordinator, N − 1 remote).
            With --topology FILE (datacenters, traffic shares, replicas per datacenter, models, an RTT matrix; see \
            README "Capacity planning") replicas are placed per datacenter and the levels are counts or \
            \(ConsistencyLevel.names.joined(separator: ", ")). Message delay model: a message between datacenters a and b \
            takes RTT(a, b)/2 plus a draw from its WARS leg (W, A, R, S) in the replica's datacenter model; within a \
            datacenter RTT(a, a)/2 plus the draw; the coordinator is in the client's datacenter (drawn by traffic share). \
            `caplab simulate` with a scenario `topology:` uses the same model.
            Example:  caplab pbs --model lnkd-ssd -n 3 -r 1 -w 1 --t 0 1 5 --format json
            Example:  caplab pbs --topology two-dcs.yaml --read-level LOCAL_QUORUM --write-level QUORUM
            """)

    @Option(name: .long, help: "Latency model: lnkd-ssd, lnkd-disk, ymmr, wan, or a name in --models.")
    var model: String?

    @Option(name: .long, help: "A topology YAML file (datacenters, rtt_ms): replicas per datacenter; replaces --model and -n.")
    var topology: String?

    @Option(name: .customShort("n"), help: "Replicas per key (N, 1 to \(PBSCalculator.maxReplicas)).")
    var n: Int?

    @Option(name: .customShort("r"), help: "Read quorum (R).")
    var r: Int?

    @Option(name: .customShort("w"), help: "Write quorum (W).")
    var w: Int?

    @Option(name: .customLong("read-level"), help: "With --topology: read consistency level (a count or ONE, QUORUM, LOCAL_QUORUM, EACH_QUORUM, …).")
    var readLevel: String?

    @Option(name: .customLong("write-level"), help: "With --topology: write consistency level.")
    var writeLevel: String?

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

    func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("caplab pbs: error: \(message)\n".utf8))
        return ExitCode.failure
    }

    func run() throws {
        var request: PBSCalculator.Request
        if let topology {
            if model != nil || n != nil { throw fail("--topology: not with --model or -n (the topology names the models and replicas)") }
            let loaded: Topology
            do { loaded = try TopologyReader.load(path: topology) } catch let error as Scenario.Error { throw fail(error.description) }
            request = PBSCalculator.Request(model: loaded.name, n: loaded.replicaCount, r: r ?? 1, w: w ?? 1, times: t, probability: p,
                                            trials: trials, ks: [], seed: seed)
            request.topology = loaded
            for (flag, text, count) in [("--read-level", readLevel, r), ("--write-level", writeLevel, w)] {
                if text != nil && count != nil { throw fail("\(flag): not with \(flag == "--read-level" ? "-r" : "-w") (give one)") }
                guard let text else { continue }
                guard let level = ConsistencyLevel(parsing: text) else {
                    throw fail("\(flag): expected a count ≥ 1 or one of \(ConsistencyLevel.names.joined(separator: ", ")), got '\(text)'")
                }
                if flag == "--read-level" { request.readLevel = level } else { request.writeLevel = level }
            }
        } else {
            guard let model, let n, let r, let w else { throw fail("expected --model, -n, -r and -w (or --topology FILE)") }
            if readLevel != nil || writeLevel != nil { throw fail("--read-level/--write-level: only with --topology") }
            request = PBSCalculator.Request(
                model: model, n: n, r: r, w: w, times: t, probability: p, trials: trials, ks: k, seed: seed, modelsFile: models)
        }
        do {
            print(try PBSCalculator.report(request, as: PBSCalculator.Format(rawValue: format)!), terminator: "")
        } catch let error as PBSCalculator.RequestError {
            FileHandle.standardError.write(Data("caplab pbs: error: \(error.description)\n".utf8))
            throw ExitCode(error.status.rawValue)
        }
    }
}
