extension DynamoNode {
    /// A request this node coordinates, from the client's request to its
    /// reply (or, for a background-repairing read, to its timeout). Its
    /// methods run on the entry in place in ``DynamoNode/pending``.
    struct Pending: Sendable {
        var isWrite: Bool
        let key: UInt64
        let version: Versioned?
        /// The key's extended preference list: N owners, then fallbacks in ring order.
        let preference: [NodeID]
        var contacted: [NodeID]
        var answered: [NodeID] = []
        var responses: [Response] = []
        /// The merge of the responses so far.
        var best: Versioned?
        var replied = false
        var repairsOutstanding = 0
        /// Blocking repair: the state written to the stale responders, which the reply carries
        /// (a response arriving meanwhile must not make the reply newer than what the repairs installed).
        var repairing: Versioned?
    }

    /// One replica's answer to a read.
    struct Response: Sendable {
        let node: NodeID
        let version: Versioned?
    }
}

extension DynamoNode.Pending {
    /// A write's ack from `from`: the version to answer with once W distinct replicas acked.
    mutating func acknowledge(from: NodeID, w: Int) -> Versioned? {
        guard isWrite, !answered.contains(from) else { return nil }
        answered.append(from)
        return answered.count >= w && !replied ? version : nil
    }

    /// A read's response from `from`: merges it, answers at R responses and
    /// repairs stale responders as the configuration says. Returns true
    /// when the request is finished and can be dropped.
    mutating func receive(_ requestID: UInt64, from: NodeID, version: Versioned?, _ configuration: QuorumConfiguration,
                          into effects: inout Effects) -> Bool {
        guard !isWrite, !answered.contains(from) else { return false }
        answered.append(from)
        responses.append(DynamoNode.Response(node: from, version: version))
        let background = configuration.readRepair == .background
        if let version {
            let previous = best
            let merged = previous.map { $0.merged(with: version) } ?? version
            best = merged
            if replied && background {
                // A late answer that changed the merge makes every responder lacking it stale; otherwise only the late one can be.
                if merged == previous {
                    if !version.includes(merged) { effects.append(.send(to: from, .repair(request: requestID, key: key, version: merged))) }
                } else {
                    _ = repairStale(requestID, with: merged, into: &effects)
                }
            }
        } else if replied && background, let best {
            effects.append(.send(to: from, .repair(request: requestID, key: key, version: best)))
        }
        if !replied && responses.count >= configuration.r {
            switch configuration.readRepair {
            case .off:
                reply(requestID, into: &effects)
            case .background:
                reply(requestID, into: &effects)
                if let best { _ = repairStale(requestID, with: best, into: &effects) }
            case .blocking:
                if let best, repairsOutstanding == 0 {
                    let sent = repairStale(requestID, with: best, into: &effects)
                    if sent == 0 {
                        reply(requestID, into: &effects)
                    } else {
                        repairsOutstanding = sent
                        repairing = best
                    }
                } else if best.map({ staleCount($0) == 0 }) ?? true {
                    reply(requestID, into: &effects)
                }
            }
        }
        // Keep a background-repairing read until the timeout; drop a finished one.
        return replied && (!background || answered.count == contacted.count)
    }

    mutating func reply(_ requestID: UInt64, into effects: inout Effects) {
        replied = true
        effects.append(.reply(ClientReply(id: requestID, outcome: .read(best))))
    }

    /// Sends `best` to every responder whose answer lacks something it has; returns how many.
    func repairStale(_ requestID: UInt64, with best: Versioned, into effects: inout Effects) -> Int {
        var sent = 0
        for response in responses where !(response.version?.includes(best) ?? false) {
            effects.append(.send(to: response.node, .repair(request: requestID, key: key, version: best)))
            sent += 1
        }
        return sent
    }

    /// Responders whose answer lacks something `best` has.
    func staleCount(_ best: Versioned) -> Int {
        var count = 0
        for response in responses where !(response.version?.includes(best) ?? false) { count += 1 }
        return count
    }

    /// Blocking repair: one stale replica acked; true when it was the last and the read can answer.
    mutating func repairAcknowledged() -> Bool {
        guard !isWrite, !replied, repairsOutstanding > 0 else { return false }
        repairsOutstanding -= 1
        return repairsOutstanding == 0
    }

    /// Sloppy quorum: sends the request to one fallback node for each of the
    /// first `n` contacted owners that has not answered.
    mutating func fallBack(_ requestID: UInt64, n: Int, into effects: inout Effects) {
        guard !replied else { return }
        let owners = Swift.min(n, contacted.count)
        var next = contacted.count
        for index in 0..<owners where !answered.contains(contacted[index]) {
            guard next < preference.count else { break }
            let fallback = preference[next]
            next += 1
            contacted.append(fallback)
            if let version {
                effects.append(.send(to: fallback, .store(request: requestID, key: key, version: version, hintFor: contacted[index])))
            } else {
                effects.append(.send(to: fallback, .fetch(request: requestID, key: key)))
            }
        }
    }
}
