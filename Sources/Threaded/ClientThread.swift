import Foundation
import Quorum
import RuntimeSupport
import Stats

/// Sends its share of the operations at their intended starts (open loop;
/// latency from the intended start) and records each reply in place in its
/// preallocated ``OperationRecord`` buffer and its latency histograms.
final class ClientThread<Core: ReplicationCore>: @unchecked Sendable {
    let inbox = Inbox<ReplyItem>(capacity: 1024)
    let clock: RunClock
    let spin: Int64
    var records: ContiguousArray<OperationRecord>
    var reads = LatencyHistogram()
    var writes = LatencyHistogram()
    var rng = Xoshiro256StarStar(seed: 0)
    var nodeCount = 1
    var clientCount = 1
    var replicas: [ReplicaThread<Core>] = []

    init(records: ContiguousArray<OperationRecord>, clock: RunClock, spin: Int64) {
        self.records = records
        self.clock = clock
        self.spin = spin
    }

    func configure(rng: Xoshiro256StarStar, nodeCount: Int, clientCount: Int, replicas: [ReplicaThread<Core>]) {
        self.rng = rng
        self.clientCount = clientCount
        self.nodeCount = nodeCount
        self.replicas = replicas
    }

    func run() {
        var next = 0
        var outstanding = 0
        var batch: [ReplyItem] = []
        batch.reserveCapacity(1024)
        while next < records.count || outstanding > 0 {
            let timeout: Int64
            if next < records.count {
                let wait = records[next].intended - clock.now()
                timeout = wait > spin ? wait - spin : 0
            } else {
                timeout = 20_000_000
            }
            _ = inbox.take(into: &batch, timeoutNanoseconds: timeout)
            for item in batch {
                complete(item)
                outstanding -= 1
            }
            batch.removeAll(keepingCapacity: true)
            while next < records.count {
                let now = clock.now()
                let due = records[next].intended
                if due > now {
                    if due - now > spin { break }
                    sched_yield()
                    continue
                }
                issue(next, now: now)
                next += 1
                outstanding += 1
            }
        }
    }

    func issue(_ index: Int, now: Int64) {
        let r = records[index]
        let coordinator = Int(rng.next() % UInt64(nodeCount))
        let operation: ClientRequest.Operation = r.isWrite ? .write(key: r.key, sequence: r.request) : .read(key: r.key)
        records[index].invoked = now
        replicas[coordinator % replicas.count].inbox.put(
            Scheduled(node: coordinator, input: .client(ClientRequest(id: r.request, operation: operation, replicaChoice: rng.next())),
                      intended: now, isMessage: false))
    }

    func complete(_ item: ReplyItem) {
        // Requests are dealt round-robin, so a thread's k-th record has id k·C + c + 1.
        let index = Int((item.reply.id - records[0].request) / UInt64(clientCount))
        records[index].completed = item.completed
        let latency = UInt64(max(1, item.completed - records[index].intended))
        switch item.reply.outcome {
        case .timedOut:
            records[index].timedOut = true
        case .written(let version):
            records[index].version = version
            writes.record(nanoseconds: latency)
        case .read(let version):
            records[index].version = version
            reads.record(nanoseconds: latency)
        }
    }
}
