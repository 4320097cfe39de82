import Quorum

/// An input due at a node at `intended` (ns since the run began).
struct Scheduled<Core: ReplicationCore>: Sendable {
    let node: NodeID
    let input: CoreInput<Core.Message, Core.Timer>
    let intended: Int64
    /// Messages count towards the delivery-time error; timers and client requests do not.
    let isMessage: Bool
}

/// A coordinator's reply on its way to the client thread that sent the request.
struct ReplyItem: Sendable {
    let reply: ClientReply
    let completed: Int64
}
