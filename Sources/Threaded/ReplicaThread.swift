import Quorum
import RuntimeSupport
import Stats

/// Steps the nodes it owns and turns their effects into deliveries (through
/// the ``DeliveryThread``) and replies (to the ``ClientThread`` that sent
/// the request). One effect buffer, reused for every step.
final class ReplicaThread<Core: ReplicationCore>: @unchecked Sendable {

    let inbox = Inbox<Scheduled<Core>>(capacity: 4096)
    let clock: RunClock
    var nodes: [Core] = []
    var network: NetworkModel!
    var rng = Xoshiro256StarStar(seed: 0)
    var delivery: DeliveryThread<Core>!
    var clients: [ClientThread<Core>] = []
    var deliveryError = LatencyHistogram()
    var messages = 0
    var steps = 0

    init(clock: RunClock) { self.clock = clock }

    func configure(nodes: [Core], network: NetworkModel, rng: Xoshiro256StarStar, delivery: DeliveryThread<Core>, clients: [ClientThread<Core>]) {
        self.nodes = nodes
        self.network = network
        self.rng = rng
        self.delivery = delivery
        self.clients = clients
    }

    func run() {
        var batch: [Scheduled<Core>] = []
        batch.reserveCapacity(4096)
        var effects = EffectBuffer<Core.Message, Core.Timer>(capacity: 64)
        while inbox.take(into: &batch, timeoutNanoseconds: nil) {
            for item in batch {
                let now = clock.now()
                if item.isMessage { deliveryError.record(nanoseconds: UInt64(max(0, now - item.intended))) }
                steps += 1
                nodes[item.node].step(now: now, item.input, into: &effects)
                effects.drain { apply($0, node: item.node, now: now) }
            }
            batch.removeAll(keepingCapacity: true)
        }
    }

    func apply(_ effect: consuming CoreEffect<Core.Message, Core.Timer>, node: NodeID, now: Int64) {
        switch effect {
        case .send(let to, let message):
            messages += 1
            if let due = network.deliveryTime(from: node, to: to, message: message, at: now, rng: &rng) {
                delivery.inbox.put(Scheduled(node: to, input: .message(from: node, message), intended: due, isMessage: true))
            }
        case .setTimer(let after, let timer):
            delivery.inbox.put(Scheduled(node: node, input: .timer(timer), intended: now &+ after, isMessage: false))
        case .reply(let reply):
            let client = Int((reply.id - 1) % UInt64(clients.count))
            clients[client].inbox.put(ReplyItem(reply: reply, completed: clock.now()))
        }
    }
}
