import Testing
@testable import Quorum
@testable import Simulation
@testable import Stats
@testable import Workload

/// LWW against vector clocks with siblings in the simulator, and the
/// lost-write accounting both are judged by.
@Suite struct VersioningSimulationTests {
    static func setup(_ versioning: Versioning, n: Int = 3, r: Int = 2, w: Int = 2, skewMs: Double = 0) throws -> QuorumSimulation.Setup {
        var quorum = QuorumConfiguration(n: n, r: r, w: w, timeoutNanoseconds: 5_000_000_000)
        quorum.versioning = versioning
        let ssd = try LatencyModelCatalog.bundled.model(named: "lnkd-ssd")
        return QuorumSimulation.Setup(nodeCount: 5, quorum: quorum, network: NetworkModel(delay: ssd.write, nodeCount: 5), maxClockSkewMs: skewMs)
    }

    /// Hot keys written concurrently by many clients.
    static func contended(_ ops: Int, seed: UInt64 = 5) -> QuorumSimulation.Driver {
        .workload(OperationStream(ratePerSecond: 4_000, writeFraction: 0.5, keys: KeyDistribution(.zipfian(theta: 0.99), keyCount: 20),
                                  clients: 16, rng: Xoshiro256StarStar(seed: seed)), operations: ops)
    }

    /// One client writing (and now and then reading) one key, waiting for each reply: no concurrency at all.
    static func sequentialWrites(_ ops: Int) -> QuorumSimulation.Driver {
        .closedLoop(OperationStream(ratePerSecond: 1, writeFraction: 0.75, keys: KeyDistribution(.uniform, keyCount: 1), clients: 1,
                                    rng: Xoshiro256StarStar(seed: 3)), clients: 1, thinkNanoseconds: 1_000_000, operations: ops)
    }

    /// Strict quorums with vector clocks: a read that begins after a write
    /// completed always reflects it, even under contention, and no
    /// acknowledged write is dropped; concurrent writes show up as siblings.
    @Test func strictQuorumsWithVectorClocksNeverReadStaleNorLoseWrites() throws {
        let result = QuorumSimulation(try Self.setup(.vectorClocks)).run(Self.contended(3_000), seed: 1)
        #expect(result.readsFailed == 0 && result.writesFailed == 0 && result.successfulReads > 1_000)
        #expect(result.staleReads == 0 && result.readYourWritesViolations == 0)
        #expect(result.lostWrites == 0)
        #expect(result.readsWithSiblings > 0 && result.siblingsMax >= 2)
    }

    /// The same contended workload: LWW drops acknowledged concurrent
    /// writes; vector clocks keep them, so partial quorums lose nothing either.
    @Test(arguments: [(2, 2), (1, 1)])
    func lwwDropsConcurrentWritesThatVectorClocksKeep(r: Int, w: Int) throws {
        let lww = QuorumSimulation(try Self.setup(.lww, r: r, w: w)).run(Self.contended(3_000), seed: 1)
        let vc = QuorumSimulation(try Self.setup(.vectorClocks, r: r, w: w)).run(Self.contended(3_000), seed: 1)
        #expect(lww.lostWrites > 0)
        #expect(lww.siblingsMax == 1 && lww.readsWithSiblings == 0)
        #expect(vc.lostWrites == 0 && vc.readsWithSiblings > 0)
    }

    /// No concurrency at all, but node clocks up to 50 ms apart: LWW lets an
    /// earlier write beat a later one from a slower clock, so later writes are
    /// lost; with vector clocks nothing is lost (writes since the client's last
    /// read stay siblings until its next write after a read replaces them).
    @Test func clockSkewLosesSequentialWritesUnderLWWOnly() throws {
        let lww = QuorumSimulation(try Self.setup(.lww, skewMs: 50)).run(Self.sequentialWrites(400), seed: 2)
        let vc = QuorumSimulation(try Self.setup(.vectorClocks, skewMs: 50)).run(Self.sequentialWrites(400), seed: 2)
        let exact = QuorumSimulation(try Self.setup(.lww)).run(Self.sequentialWrites(400), seed: 2)
        #expect(lww.writesFailed == 0 && vc.writesFailed == 0)
        #expect(lww.lostWrites > 40)
        #expect(exact.lostWrites == 0)
        #expect(vc.lostWrites == 0 && vc.successfulReads > 50 && vc.siblingsMax >= 2)
    }

    /// Get-then-put (Dynamo's update pattern): each write carries the context
    /// of a read issued right before it, so one sequential client never makes
    /// siblings, contended clients make far fewer than with contexts from
    /// earlier reads, nothing is lost, and every write adds one read.
    @Test func getThenPutReconcilesBeforeEveryWrite() throws {
        var sequential = try Self.setup(.vectorClocks, skewMs: 50)
        sequential.readBeforeWrite = true
        let one = QuorumSimulation(sequential).run(Self.sequentialWrites(400), seed: 2)
        #expect(one.lostWrites == 0 && one.successfulReads > 300 && one.siblingsMax == 1)

        var contended = try Self.setup(.vectorClocks)
        let lastRead = QuorumSimulation(contended).run(Self.contended(3_000), seed: 1)
        contended.readBeforeWrite = true
        let getThenPut = QuorumSimulation(contended).run(Self.contended(3_000), seed: 1)
        #expect(getThenPut.lostWrites == 0 && getThenPut.staleReads == 0)
        #expect(getThenPut.siblingsPerRead < lastRead.siblingsPerRead / 2)
        #expect(getThenPut.readsIssued == lastRead.readsIssued + lastRead.writesIssued)
        #expect(getThenPut.writesIssued == lastRead.writesIssued)
    }

    @Test func vectorClockRunsAreDeterministic() throws {
        let setup = try Self.setup(.vectorClocks, r: 1, w: 1, skewMs: 5)
        let a = QuorumSimulation(setup).run(Self.contended(1_500), seed: 9).deterministicCSV
        let b = QuorumSimulation(setup).run(Self.contended(1_500), seed: 9).deterministicCSV
        let c = QuorumSimulation(setup).run(Self.contended(1_500), seed: 10).deterministicCSV
        #expect(a == b && a != c)
    }

    /// Known answers for the LWW rule: a write is lost when the next write in
    /// version order was issued before it completed.
    @Test func lwwLostWritesKnownAnswers() {
        func v(_ ts: Int64, _ seq: UInt64) -> Versioned { .lww(Version(timestamp: ts, coordinator: 0, sequence: seq)) }
        var judge = ConsistencyJudge()
        // Key 1: write 2 starts after write 1 completed but carries an older timestamp (skew): 2 is lost.
        judge.wrote(key: 1, sequence: 1, session: 0, issued: 0, completed: 10, version: v(100, 1))
        judge.wrote(key: 1, sequence: 2, session: 0, issued: 20, completed: 30, version: v(50, 2))
        // Key 2: writes 3 and 4 overlap; 4 wins on timestamp, so 3 is lost. Write 5 follows 4 after it completed: 4 is not lost.
        judge.wrote(key: 2, sequence: 3, session: 0, issued: 0, completed: 10, version: v(1, 3))
        judge.wrote(key: 2, sequence: 4, session: 1, issued: 5, completed: 15, version: v(2, 4))
        judge.wrote(key: 2, sequence: 5, session: 0, issued: 20, completed: 25, version: v(3, 5))
        let final: [UInt64: Versioned] = [1: v(100, 1), 2: v(3, 5)]
        #expect(judge.lostWrites(final: { final[$0] }, issueTime: { _ in nil }, observed: [:]) == 2)
        // Had the cluster ended holding write 99, which never completed: issued before write 5
        // completed, it drops 5 unseen; issued after, 5 was overwritten knowingly.
        #expect(judge.lostWrites(final: { $0 == 2 ? v(9, 99) : final[$0] }, issueTime: { $0 == 99 ? 22 : nil }, observed: [:]) == 3)
        #expect(judge.lostWrites(final: { $0 == 2 ? v(9, 99) : final[$0] }, issueTime: { $0 == 99 ? 26 : nil }, observed: [:]) == 2)
    }
}
