import Dispatch
import Foundation
import Lab
import Simulation
import Stats

/// Answers a ``Plan``: every candidate of the search space is costed and
/// checked, cheapest and exact things first —
/// 1. availability under each named failure from quorum arithmetic
///    (``Availability``, exact);
/// 2. latency percentiles, P(consistent) and t-visibility from the
///    topology-aware PBS Monte Carlo (``TopologyPBS``), with 95 %
///    intervals; a candidate whose verdict on some objective the interval
///    leaves open is rerun with 4× and then 16× the trials;
/// 3. the best candidates (or, when none meets the objectives, the nearest
///    misses) confirmed in the simulator with the same topology, the failures
///    as fault schedules (``PlanConfirmation``).
///
/// - Complexity: C candidates × (T trials × O(N²) + failures × O(∏ nᵢ));
///   Monte Carlo passes run on every core. Deterministic for a seed.
public enum PlanEvaluator {
    /// A percentile or probability with its 95 % interval.
    public struct Estimate: Sendable, Equatable {
        public var value: Double
        public var low: Double
        public var high: Double
    }

    public struct ConsistencyPoint: Sendable, Equatable {
        public var tMs: Double
        public var p: Estimate
    }

    /// What the Monte Carlo says about one candidate.
    public struct ModelNumbers: Sendable, Equatable {
        public var trials: Int
        public var readP99: Estimate
        public var readP999: Estimate
        public var writeP99: Estimate
        public var writeP999: Estimate
        public var consistency: [ConsistencyPoint]
        public var tVisibility: Estimate?
    }

    public struct Violation: Sendable, Equatable {
        /// The objective, as the plan file names it (`read_p99_ms`, `survive[datacenter east lost]`, …).
        public var objective: String
        public var limit: Double
        public var value: Double
        /// How far past the limit, relative to it (0.25: 25 % too high or too low); 1 for an unservable configuration.
        public var excess: Double
    }

    public struct Result: Sendable {
        public var candidate: Candidate
        public var cost: Double
        public var messagesPerOperation: Double
        /// Why clients somewhere cannot be served at all, if so (then no model numbers).
        public var unservable: String?
        public var model: ModelNumbers?
        public var availability: [(failure: Failure, answer: Availability.Answer)]
        public var violations: [Violation]
        public var confirmation: PlanConfirmation.Numbers?

        public var meetsObjectives: Bool { unservable == nil && violations.isEmpty }
        /// Sum of relative excesses: how near a miss is.
        public var missDistance: Double { violations.reduce(0) { $0 + $1.excess } }
    }

    public struct Answer: Sendable {
        public var plan: Plan
        /// Every candidate: those meeting the objectives first, cheapest first; then the misses, nearest first.
        public var results: [Result]
        /// Indices into `results` of the Pareto frontier of (cost, read p99, staleness) over servable candidates.
        public var frontier: [Int]
        public var meeting: Int { results.prefix { $0.meetsObjectives }.count }
    }

    /// Every candidate of the search space, in a fixed order.
    public static func candidates(_ plan: Plan) -> [Candidate] {
        var replicaChoices: [[Int]] = [[]]
        for range in plan.search.replicas {
            replicaChoices = replicaChoices.flatMap { prefix in range.map { prefix + [$0] } }
        }
        var result: [Candidate] = []
        for replicas in replicaChoices where replicas.reduce(0, +) >= 1 {
            for read in plan.search.readLevels {
                for write in plan.search.writeLevels {
                    for repair in plan.search.readRepairs {
                        for sloppy in plan.search.sloppy {
                            for versioning in plan.search.versionings {
                                result.append(Candidate(replicas: replicas, readLevel: read, writeLevel: write, readRepair: repair,
                                                        sloppy: sloppy, versioning: versioning))
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Evaluates the plan; `confirm: false` skips the simulator (the model alone).
    public static func evaluate(_ plan: Plan, confirm: Bool = true, progress: (String) -> Void = { _ in }) -> Answer {
        let candidates = candidates(plan)
        progress("\(candidates.count) candidates")
        // The Monte Carlo numbers depend only on replicas and levels: one run per distinct triple.
        struct Key: Hashable, Sendable { let replicas: [Int]; let read: ConsistencyLevel; let write: ConsistencyLevel }
        var keys: [Key] = []
        var seen = Set<Key>()
        for c in candidates {
            let key = Key(replicas: c.replicas, read: c.readLevel, write: c.writeLevel)
            if seen.insert(key).inserted { keys.append(key) }
        }
        let work = keys
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, work.count))
        let collected = Collected<[Key: ModelNumbers]>([:])
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var mine: [Key: ModelNumbers] = [:]
            for i in stride(from: worker, to: work.count, by: workers) {
                let key = work[i]
                mine[key] = modelNumbers(plan, replicas: key.replicas, read: key.read, write: key.write)
            }
            collected.withLock { $0.merge(mine) { a, _ in a } }
        }
        let byKey = collected.withLock { $0 }
        progress("Monte Carlo done for \(keys.count) configurations")
        var results = candidates.map { c in
            judge(plan, c, model: byKey[Key(replicas: c.replicas, read: c.readLevel, write: c.writeLevel)])
        }
        results = ranked(results)
        if confirm && plan.evaluation.confirm > 0 {
            var confirmed = 0
            for i in results.indices where confirmed < plan.evaluation.confirm && results[i].unservable == nil {
                guard PlanConfirmation.canConfirm(results[i].candidate) else { continue }
                progress("simulating \(results[i].candidate.label)")
                results[i].confirmation = PlanConfirmation.run(plan, results[i].candidate)
                if let lost = plan.objectives.lostWritesAtMost, let value = results[i].confirmation?.lostWriteFraction, value > lost {
                    results[i].violations.append(Violation(objective: "lost_writes_at_most", limit: lost, value: value,
                                                           excess: (value - lost) / max(lost, 1e-9)))
                }
                confirmed += 1
            }
            results = ranked(results)
        }
        return Answer(plan: plan, results: results, frontier: frontier(results))
    }

    /// Results gathered from the Monte Carlo workers under a lock.
    final class Collected<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Value
        init(_ value: Value) { self.value = value }
        func withLock<T>(_ body: (inout Value) -> T) -> T {
            lock.lock()
            defer { lock.unlock() }
            return body(&value)
        }
    }

    /// Meeting candidates cheapest first (then fewer messages, lower read p99); then misses, nearest first.
    static func ranked(_ results: [Result]) -> [Result] {
        results.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            if x.meetsObjectives != y.meetsObjectives { return x.meetsObjectives }
            if x.meetsObjectives {
                if x.cost != y.cost { return x.cost < y.cost }
                if x.messagesPerOperation != y.messagesPerOperation { return x.messagesPerOperation < y.messagesPerOperation }
                let rx = x.model?.readP99.value ?? .infinity, ry = y.model?.readP99.value ?? .infinity
                if rx != ry { return rx < ry }
            } else {
                if (x.unservable == nil) != (y.unservable == nil) { return x.unservable == nil }
                if x.violations.count != y.violations.count { return x.violations.count < y.violations.count }
                if x.missDistance != y.missDistance { return x.missDistance < y.missDistance }
                if x.cost != y.cost { return x.cost < y.cost }
            }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// Staleness of a candidate for the frontier: 1 − P(consistent) at the first objective time (0 ms when none).
    public static func staleness(_ r: Result) -> Double? {
        r.model?.consistency.first.map { 1 - $0.p.value }
    }

    /// Non-dominated servable candidates in (cost, read p99, staleness), each smaller is better;
    /// among equal triples only the first (best ranked) is kept.
    static func frontier(_ results: [Result]) -> [Int] {
        let points: [(Int, Double, Double, Double)] = results.enumerated().compactMap { i, r in
            guard let model = r.model, let stale = staleness(r) else { return nil }
            return (i, r.cost, model.readP99.value, stale)
        }
        var kept: [Int] = []
        var seenTriples = Set<[Double]>()
        for p in points {
            let dominated = points.contains { q in
                q.1 <= p.1 && q.2 <= p.2 && q.3 <= p.3 && (q.1 < p.1 || q.2 < p.2 || q.3 < p.3)
            }
            if !dominated && seenTriples.insert([p.1, p.2, p.3]).inserted { kept.append(p.0) }
        }
        return kept
    }

    /// The Monte Carlo for one configuration, or nil when it cannot serve some datacenter's clients.
    static func modelNumbers(_ plan: Plan, replicas: [Int], read: ConsistencyLevel, write: ConsistencyLevel) -> ModelNumbers? {
        let topology = plan.topology.with(replicas: replicas)
        guard let pbs = TopologyPBS(topology: topology, read: read, write: write) else { return nil }
        var trials = plan.evaluation.trials
        var result: ModelNumbers
        var round = 0
        repeat {
            var rng = Xoshiro256StarStar(seed: plan.evaluation.seed ^ XXHashLabel.hash("\(replicas)/\(read)/\(write)/\(round)"))
            result = numbers(pbs.run(trials: trials, rng: &rng), plan: plan)
            round += 1
            trials *= 4
        } while round < 3 && isUndecided(result, plan.objectives)
        return result
    }

    static func numbers(_ samples: PBSMonteCarlo.Samples, plan: Plan) -> ModelNumbers {
        let o = plan.objectives
        var times = o.consistency.map(\.tMs)
        if times.isEmpty { times = [0] }
        let consistency = times.map { t in ConsistencyPoint(tMs: t, p: proportion(samples.threshold, atOrBelow: t)) }
        let tv = o.tVisibility.map { ceiling -> Estimate in
            let v = PBSReport.tVisibility(samples.threshold, probability: ceiling.p)
            return Estimate(value: v.value, low: v.ciLow, high: v.ciHigh)
        }
        return ModelNumbers(trials: samples.trials, readP99: quantile(samples.readLatency, 0.99), readP999: quantile(samples.readLatency, 0.999),
                            writeP99: quantile(samples.writeLatency, 0.99), writeP999: quantile(samples.writeLatency, 0.999),
                            consistency: consistency, tVisibility: tv)
    }

    /// The q-quantile with a distribution-free 95 % interval from order statistics
    /// (ranks T·q ∓ 1.96·√(T·q·(1−q)); Hahn & Meeker, *Statistical Intervals*, §5.2).
    static func quantile(_ sorted: [Double], _ q: Double) -> Estimate {
        let t = Double(sorted.count)
        let spread = 1.96 * (t * q * (1 - q)).squareRoot()
        func at(_ rank: Double) -> Double { sorted[min(sorted.count, max(1, Int(rank.rounded(.up)))) - 1] }
        return Estimate(value: PBSReport.quantile(sorted, q), low: at(t * q - spread), high: at(t * q + spread))
    }

    /// P(τ ≤ t) with a Wilson 95 % interval (Wilson, JASA 22, 1927).
    static func proportion(_ thresholds: [Double], atOrBelow t: Double) -> Estimate {
        let p = PBSReport.fractionAtOrBelow(thresholds, t)
        let n = Double(thresholds.count), z = 1.96
        let center = (p + z * z / (2 * n)) / (1 + z * z / n)
        let half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
        return Estimate(value: p, low: max(0, center - half), high: min(1, center + half))
    }

    /// Whether some objective's limit lies inside the interval of its estimate.
    static func isUndecided(_ m: ModelNumbers, _ o: Plan.Objectives) -> Bool {
        func straddles(_ e: Estimate, _ limit: Double?) -> Bool { limit.map { e.low <= $0 && $0 <= e.high && e.low < e.high } ?? false }
        if straddles(m.readP99, o.readP99Ms) || straddles(m.writeP99, o.writeP99Ms) || straddles(m.readP999, o.readP999Ms)
            || straddles(m.writeP999, o.writeP999Ms) { return true }
        for (floor, point) in zip(o.consistency, m.consistency) where straddles(point.p, floor.atLeast) { return true }
        if let tv = m.tVisibility, straddles(tv, o.tVisibility?.atMostMs) { return true }
        return false
    }

    /// Cost, availability and every objective the candidate breaks.
    static func judge(_ plan: Plan, _ c: Candidate, model: ModelNumbers?) -> Result {
        let topology = plan.topology.with(replicas: c.replicas)
        let cost = zip(c.replicas, plan.pricePerNode).reduce(0) { $0 + Double($1.0) * $1.1 }
        // Messages: a write goes to all N and is answered; a read to the replicas its level contacts.
        var contacted = 0.0
        for (d, dc) in topology.datacenters.enumerated() {
            contacted += dc.trafficShare * Double(c.readLevel.contacted(replicas: c.replicas, coordinator: d))
        }
        contacted /= topology.datacenters.reduce(0) { $0 + $1.trafficShare }
        let messages = plan.writeFraction * 2 * Double(c.nodes) + (1 - plan.writeFraction) * 2 * contacted
        var violations: [Violation] = []
        let unservable = model == nil ? TopologyPBS.unservable(topology: topology, read: c.readLevel, write: c.writeLevel) ?? "no replicas" : nil
        if unservable != nil {
            violations.append(Violation(objective: "servable", limit: 1, value: 0, excess: 1))
        }
        let o = plan.objectives
        func ceiling(_ name: String, _ limit: Double?, _ value: Double?) {
            guard let limit, let value, value > limit else { return }
            violations.append(Violation(objective: name, limit: limit, value: value, excess: (value - limit) / max(limit, 1e-9)))
        }
        func floor(_ name: String, _ limit: Double, _ value: Double) {
            guard value < limit else { return }
            violations.append(Violation(objective: name, limit: limit, value: value, excess: (limit - value) / max(limit, 1e-9)))
        }
        if let m = model {
            ceiling("read_p99_ms", o.readP99Ms, m.readP99.value)
            ceiling("write_p99_ms", o.writeP99Ms, m.writeP99.value)
            ceiling("read_p999_ms", o.readP999Ms, m.readP999.value)
            ceiling("write_p999_ms", o.writeP999Ms, m.writeP999.value)
            for (f, point) in zip(o.consistency, m.consistency) {
                floor("p_consistent[t=\(PlanOutput.number(f.tMs)) ms]", f.atLeast, point.p.value)
            }
            if let ceilingTV = o.tVisibility, let tv = m.tVisibility {
                ceiling("t_visibility_ms[p=\(PlanOutput.number(ceilingTV.p))]", ceilingTV.atMostMs, tv.value)
            }
        }
        var availability: [(failure: Failure, answer: Availability.Answer)] = []
        for s in o.survive {
            let answer = Availability.served(s.failure, topology: topology, replicas: c.replicas, read: c.readLevel, write: c.writeLevel,
                                             writeFraction: plan.writeFraction)
            availability.append((s.failure, answer))
            floor("survive[\(s.failure)]", s.availability, answer.served)
        }
        return Result(candidate: c, cost: cost, messagesPerOperation: messages, unservable: unservable, model: model,
                      availability: availability, violations: violations, confirmation: nil)
    }
}
