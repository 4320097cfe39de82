import Foundation
import Quorum
import RuntimeSupport

/// Holds every in-flight message and timer until it is due, then hands it
/// to the replica thread that owns its node. It sleeps on its inbox's
/// condition variable until `spin` before the next deadline, then yields
/// in a loop, so sub-millisecond delays stay sub-millisecond. The
/// delivery-time error (actual − intended) is measured by the replica
/// thread when it steps the message.
final class DeliveryThread<Core: ReplicationCore>: @unchecked Sendable {
    let inbox = Inbox<Scheduled<Core>>(capacity: 4096)
    let spin: Int64
    let clock: RunClock
    var replicas: [ReplicaThread<Core>] = []

    init(spin: Int64, clock: RunClock) {
        self.spin = spin
        self.clock = clock
    }

    func run() {
        var heap = EventQueue<Scheduled<Core>>()
        var batch: [Scheduled<Core>] = []
        batch.reserveCapacity(4096)
        while true {
            var timeout: Int64?
            if let due = heap.earliest {
                let wait = due - clock.now()
                timeout = wait > spin ? wait - spin : 0
                if wait > 0 && wait <= spin { sched_yield() }
            }
            guard inbox.take(into: &batch, timeoutNanoseconds: timeout) else { return }
            for item in batch { heap.push(item, at: item.intended) }
            batch.removeAll(keepingCapacity: true)
            let now = clock.now()
            while let due = heap.earliest, due <= now {
                let item = heap.removeEarliest()
                replicas[item.node % replicas.count].inbox.put(item)
            }
        }
    }
}
