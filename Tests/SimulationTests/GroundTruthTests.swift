import Quorum
import RuntimeSupport
import Stats
import Testing
import Workload
@testable import Consistency
@testable import Simulation

/// The linearizability checker against the simulator's ground truth, on
/// thousands of short seeded runs (3–5 nodes, 1–4 keys, tens of operations,
/// random N/R/W, read repair, sloppy quorums, clock skew, message loss,
/// partitions and crashes; Dynamo LWW, ABD, Raft in every read mode).
///
/// The simulator records every replica's state changes (``ReplicaApply``),
/// so it knows the order in which writes took effect (``TrueKeyHistory``).
/// Per key of every history:
/// - a linearization ordering writes as the replicas did exists ⇒ the checker says linearizable, Δ = 0;
/// - a read returned w while a write invoked after w completed had completed
///   before the read began (or it returned a value before its write began) ⇒ not linearizable;
/// - the checker's Δ (Golab, Li & Shah, PODC 2011: a minimum over all write
///   orders) ≤ Δ of the true order, and ≥ every such read's start minus that
///   write's completion;
/// - the checker's versions behind of each read equals the count of such
///   writes, and is at most the true-order count of newer completed writes
///   (when writes' true order follows real time);
/// - zones and search agree;
/// - ABD, and Raft with log, ReadIndex and lease reads (no drift), are
///   linearizable with the true order as witness.
@Suite struct GroundTruthTests {
    /// What one protocol's campaign saw, for the summary line and the expectations on coverage.
    struct Tally: CustomStringConvertible {
        var histories = 0
        var operations = 0
        var keys = 0
        var nonLinearizableHistories = 0
        var nonLinearizableKeys = 0
        var witnessKeys = 0
        /// Keys where the checker found a smaller Δ than the true order's.
        var checkerBeatsTruthDelta = 0
        /// Keys whose true write order contradicts real time (LWW under clock skew).
        var truthAgainstRealTime = 0
        var timedOutWritesApplied = 0
        var applies = 0

        var description: String {
            "\(histories) histories, \(operations) operations, \(keys) keys: \(nonLinearizableHistories) histories "
                + "(\(nonLinearizableKeys) keys) not linearizable, \(witnessKeys) keys with the true order as witness, "
                + "\(checkerBeatsTruthDelta) keys where the checker's Δ beats the true order's, \(truthAgainstRealTime) keys whose "
                + "version order contradicts real time, \(timedOutWritesApplied) timed-out writes applied, \(applies) replica applies"
        }
    }

    /// One random short run of `replication`, fully described by `seed`.
    static func run(_ replication: ReplicationProtocol, seed: UInt64) throws -> (result: SimulationResult, linearizableByDesign: Bool, setup: String) {
        var rng = Xoshiro256StarStar(seed: seed)
        func pick(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(rng.next() % UInt64(range.count)) }
        func chance(_ p: Double) -> Bool { rng.nextUnitDouble() < p }
        let ms: Int64 = 1_000_000
        let nodeCount = pick(3...5)
        let keys = pick(1...4)
        let operations = pick(10...50)
        var quorum: QuorumConfiguration
        var rate: Double
        var linearizableByDesign = true
        var skewMs = 0.0
        switch replication {
        case .dynamo:
            let n = pick(1...min(nodeCount, 4))
            quorum = QuorumConfiguration(n: n, r: pick(1...n), w: pick(1...n), timeoutNanoseconds: Int64(pick(20...100)) * ms,
                                         readRepair: QuorumConfiguration.ReadRepair.allCases[pick(0...2)], sloppyQuorum: chance(0.25))
            rate = Double(pick(1...20)) * 1_000
            skewMs = chance(0.4) ? Double(pick(1...50)) / 10 : 0
            linearizableByDesign = false
        case .abd:
            let n = nodeCount >= 5 && chance(0.5) ? 5 : 3
            quorum = QuorumConfiguration(n: n, r: n / 2 + 1, w: n / 2 + 1, timeoutNanoseconds: Int64(pick(20...100)) * ms)
            rate = Double(pick(1...20)) * 1_000
        case .raft:
            let n = nodeCount >= 5 && chance(0.3) ? 5 : 3
            quorum = QuorumConfiguration(n: n, r: n / 2 + 1, w: n / 2 + 1, timeoutNanoseconds: Int64(pick(200...500)) * ms)
            let mode = RaftConfiguration.ReadMode.allCases[pick(0...RaftConfiguration.ReadMode.allCases.count - 1)]
            quorum.raft = RaftConfiguration(readMode: mode)
            rate = Double(pick(50...500))
            linearizableByDesign = mode != .follower
        }
        let duration = Int64(Double(operations) / rate * 1e9)
        var partitions: [NetworkModel.Partition] = []
        var crashes: [NetworkModel.Crash] = []
        let faultSpan = replication == .raft ? duration + 600 * ms : duration
        if chance(0.3) {
            let start = Int64(rng.next() % UInt64(max(1, faultSpan)))
            partitions.append(.init(startNanoseconds: start, endNanoseconds: start + Int64(rng.next() % UInt64(max(1, faultSpan))),
                                    isolated: [pick(0...nodeCount - 1)]))
        }
        if chance(0.3) {
            let start = Int64(rng.next() % UInt64(max(1, faultSpan)))
            crashes.append(.init(node: pick(0...nodeCount - 1), startNanoseconds: start,
                                 endNanoseconds: start + Int64(rng.next() % UInt64(max(1, faultSpan)))))
        }
        let model = try LatencyModelCatalog.bundled.model(named: chance(0.5) ? "lnkd-disk" : "lnkd-ssd")
        let loss = chance(0.2) ? 0.02 : 0
        var setup = QuorumSimulation.Setup(nodeCount: nodeCount, quorum: quorum,
                                           network: NetworkModel(model: model, nodeCount: nodeCount, lossProbability: loss,
                                                                 partitions: partitions, crashes: crashes),
                                           maxClockSkewMs: skewMs, replication: replication)
        setup.recordsHistory = true
        setup.recordsApplies = true
        let stream = OperationStream(ratePerSecond: rate, writeFraction: Double(pick(2...8)) / 10,
                                     keys: KeyDistribution(.uniform, keyCount: keys), clients: pick(2...8), rng: rng.split())
        let result = QuorumSimulation(setup).run(.workload(stream, operations: operations), seed: rng.next())
        let description = "seed \(seed): \(replication) nodes \(nodeCount) N=\(quorum.n) R=\(quorum.r) W=\(quorum.w) "
            + "repair \(quorum.readRepair) sloppy \(quorum.sloppyQuorum) raft \(quorum.raft.readMode) skew \(skewMs) ms loss \(loss) "
            + "partitions \(partitions) crashes \(crashes) ops \(operations) rate \(rate)/s"
        return (result, linearizableByDesign, description)
    }

    /// Runs every property on one history; failures name the seed and setup.
    static func crossCheck(_ replication: ReplicationProtocol, seed: UInt64, into tally: inout Tally) throws {
        let (result, linearizableByDesign, setup) = try run(replication, seed: seed)
        let history = result.records.history
        let operations = try history.operations()
        let report = try LinearizabilityChecker().check(operations)
        let search = LinearizabilityChecker(usesZones: false).check(operations)
        let staleness = try StalenessReport(history)
        let truth = TrueKeyHistory.keys(of: result)
        tally.histories += 1
        tally.operations += operations.count
        tally.applies += result.applies.count
        if report.verdict == .notLinearizable { tally.nonLinearizableHistories += 1 }
        #expect(staleness.deltaInNanoseconds, "\(setup)")
        #expect(report.unknownKeys.isEmpty && report.zoneKeys == report.keys, "zones left keys undecided: \(setup)")
        let notLinearizable = Set(report.violations.map(\.key))
        if search.unknownKeys.isEmpty {
            #expect(Set(search.violations.map(\.key)) == notLinearizable, "zones and search disagree: \(setup)")
        }
        let problems = applyLogProblems(result, perRead: replication != .raft)
        #expect(problems.isEmpty, "\(setup): \(problems.prefix(3))")
        let timedOut = Set(result.records.filter { $0.isWrite && $0.timedOut }.map(\.request))

        var judgeBehind = 0
        var byKey: [HistoryKey: [RegisterOperation]] = [:]
        for op in operations { byKey[op.key, default: []].append(op) }
        for (key, t) in truth.sorted(by: { $0.key < $1.key }) {
            let hk = HistoryKey.integer(Int64(bitPattern: key))
            guard let keyOps = byKey[hk], let measured = staleness.keys.first(where: { $0.key == hk }) else {
                Issue.record("key \(key) missing from the checker's report: \(setup)")
                continue
            }
            tally.keys += 1
            tally.timedOutWritesApplied += t.ops.filter { $0.isWrite && timedOut.contains($0.request) }.count
            let linearizable = !notLinearizable.contains(hk)
            if !linearizable { tally.nonLinearizableKeys += 1 }
            let where_ = "key \(key), \(setup)"

            // Verdict against the truth.
            if t.trueOrderIsWitness {
                tally.witnessKeys += 1
                #expect(linearizable, "the true write order is a linearization but the checker says not: \(where_)")
            }
            let forced = t.forcedDelta
            if forced > 0 || t.readBeforeItsWrite || t.readsOfUnknownWrites > 0 {
                #expect(!linearizable, "a read missed a write that real time forces before it, yet the checker says linearizable: \(where_)")
            }

            // Δ against the truth.
            switch measured.delta {
            case .delta(let d):
                #expect((d == 0) == linearizable, "Δ = \(d) but verdict linearizable = \(linearizable): \(where_)")
                #expect(d >= forced, "checker Δ \(d) below the forced bound \(forced): \(where_)")
                if let trueDelta = t.trueOrderDelta {
                    #expect(d <= trueDelta, "checker Δ \(d) above the true order's \(trueDelta): \(where_)")
                    if d < trueDelta { tally.checkerBeatsTruthDelta += 1 }
                }
                #expect(!t.readBeforeItsWrite && t.readsOfUnknownWrites == 0, "a finite Δ for a read no Δ can fix: \(where_)")
            case .never:
                #expect(t.trueOrderDelta == nil, "checker says no Δ helps but the true order fits with Δ = \(t.trueOrderDelta ?? -1): \(where_)")
            case .notApplicable:
                Issue.record("written values are unique, Δ must be measured: \(where_)")
            }

            // Versions behind, read by read.
            let searchable = LinearizabilityChecker.searchable(keyOps)
            let writes = searchable.filter { $0.function == .write }
            let againstRealTime = t.writesContradictRealTime
            if againstRealTime { tally.truthAgainstRealTime += 1 }
            for r in t.ops where !r.isWrite {
                judgeBehind += t.trueVersionsBehind(r, inclusive: true)
                guard let op = searchable.first(where: { $0.function == .read && UInt64($0.process) == r.request }),
                      let histogram = VersionsBehind.histogram(writes + [op]) else { continue }
                let behind = histogram.firstIndex { $0 > 0 } ?? -1
                #expect(behind == t.forcedNewer(than: r).count, "read \(r.request): checker \(behind) versions behind: \(where_)")
                if !againstRealTime {
                    #expect(behind <= t.trueVersionsBehind(r), "read \(r.request): checker \(behind) > true \(t.trueVersionsBehind(r)): \(where_)")
                }
            }

            // Linearizable protocols: the truth is a linearization.
            if linearizableByDesign {
                #expect(t.trueOrderIsWitness, "\(replication)'s own write order is not a linearization: \(where_)")
                #expect(linearizable && measured.delta == .delta(0) && (measured.versionsBehind ?? []).count <= 1, "\(where_)")
            }
        }
        #expect(judgeBehind == result.versionsBehindTotal, "the truth's count of versions behind differs from the simulator's judge: \(setup)")
    }

    static func campaign(_ replication: ReplicationProtocol, histories: Int) throws -> Tally {
        var tally = Tally()
        for i in 0..<histories {
            try crossCheck(replication, seed: UInt64(i) &* 0x9E37_79B9 &+ UInt64(replication.rawValue.count), into: &tally)
        }
        return tally
    }

    @Test func dynamoLWWAgainstTheTruth() throws {
        let tally = try Self.campaign(.dynamo, histories: 1_600)
        print("ground truth, dynamo LWW: \(tally)")
        // The campaign reaches both sides of every property.
        #expect(tally.nonLinearizableHistories > 100 && tally.witnessKeys > 1_000)
        #expect(tally.truthAgainstRealTime > 0 && tally.timedOutWritesApplied > 0)
    }

    @Test func abdAgainstTheTruth() throws {
        let tally = try Self.campaign(.abd, histories: 400)
        print("ground truth, ABD: \(tally)")
        #expect(tally.nonLinearizableHistories == 0)
    }

    @Test func raftAgainstTheTruth() throws {
        let tally = try Self.campaign(.raft, histories: 400)
        print("ground truth, Raft: \(tally)")
        #expect(tally.witnessKeys > 0)
    }
}
