/// Client requests: forwarding to the leader, the four read modes
/// (thesis §6.4), proxies, answers.
extension RaftNode {
    mutating func handleClient(_ request: ClientRequest, replyTo: NodeID?, _ local: Int64, _ effects: inout Effects) {
        guard isMember else {
            // A proxy: hand the request to a member and relay its answer.
            waiting[request.id] = Waiting(kind: .proxied, key: 0, replyTo: nil)
            effects.append(.send(to: Int(request.replicaChoice % UInt64(members)), .proxy(request)))
            effects.append(.setTimer(afterNanoseconds: configuration.timeoutNanoseconds, .requestTimeout(request.id)))
            return
        }
        switch request.operation {
        case .write(let key, _):
            waiting[request.id] = Waiting(kind: .write, key: key, replyTo: replyTo)
            route(request, origin: id, hops: 0, local, &effects)
        case .read(let key):
            switch raft.readMode {
            case .follower:
                // Serializable: this member's applied state, now.
                answer(ClientReply(id: request.id, outcome: .read(store[key].map(Versioned.lww))), replyTo: replyTo, &effects)
                return
            case .log:
                waiting[request.id] = Waiting(kind: .logRead, key: key, replyTo: replyTo)
                route(request, origin: id, hops: 0, local, &effects)
            case .readIndex, .lease:
                waiting[request.id] = Waiting(kind: .indexRead(index: nil), key: key, replyTo: replyTo)
                if role == .leader {
                    leaderRead(request: request.id, from: id, local, &effects)
                } else if let leader {
                    effects.append(.send(to: leader, .readIndex(request: request.id)))
                } else {
                    parked.append(Parked(request: request, origin: id, readIndex: true))
                }
            }
        }
        effects.append(.setTimer(afterNanoseconds: configuration.timeoutNanoseconds, .requestTimeout(request.id)))
    }

    /// A write or log read: appended by the leader, forwarded to it, or held until one is known.
    mutating func route(_ request: ClientRequest, origin: NodeID, hops: UInt8, _ local: Int64, _ effects: inout Effects) {
        if role == .leader {
            appendLocal(RaftCommand(request, leader: id))
            for peer in 0..<members where peer != id && nextIndex[peer] <= log.lastIndex { sendAppend(to: peer, &effects) }
            if members == 1 { advanceCommit(local, &effects) }
        } else if let leader, hops < 3 {
            effects.append(.send(to: leader, .propose(request, origin: origin, hops: hops &+ 1)))
        } else if leader == nil {
            parked.append(Parked(request: request, origin: origin, readIndex: false))
        }
    }

    mutating func propose(_ request: ClientRequest, origin: NodeID, hops: UInt8, _ local: Int64, _ effects: inout Effects) {
        guard isMember else { return }
        route(request, origin: origin, hops: hops, local, &effects)
    }

    /// The leader's side of ReadIndex and lease reads for `from` (itself or a follower).
    mutating func leaderRead(request: UInt64, from: NodeID, _ local: Int64, _ effects: inout Effects) {
        guard role == .leader else { return }
        guard committedInTerm else {
            deferredReads.append((request, from))
            return
        }
        if raft.readMode == .lease && local < leaseExpiry {
            return respondRead(request, to: from, index: commitIndex, &effects)
        }
        pendingReads.append(PendingRead(request: request, from: from, index: commitIndex, round: round &+ 1))
        broadcastAppend(local, &effects)
    }

    /// An entry of this term just committed: the reads that waited for it get the commit index and the next round.
    mutating func promoteDeferredReads(_ local: Int64, _ effects: inout Effects) {
        for read in deferredReads {
            pendingReads.append(PendingRead(request: read.request, from: read.from, index: commitIndex, round: round &+ 1))
        }
        deferredReads.removeAll()
    }

    /// Some peer acknowledged a newer round: extend the lease, answer the reads a majority has confirmed.
    mutating func releaseReads(_ local: Int64, _ effects: inout Effects) {
        var rounds = ackedRound
        rounds.sort(by: >)
        let confirmed = rounds[majority &- 1]
        if raft.readMode == .lease, let start = roundStarted[confirmed] {
            leaseExpiry = Swift.max(leaseExpiry, start &+ raft.leaseNanoseconds)
            if roundStarted.count > 64 { roundStarted = roundStarted.filter { $0.key >= confirmed } }
        }
        guard !pendingReads.isEmpty, pendingReads[0].round <= confirmed else { return }
        let ready = pendingReads.prefix { $0.round <= confirmed }
        pendingReads.removeFirst(ready.count)
        for read in ready { respondRead(read.request, to: read.from, index: read.index, &effects) }
    }

    mutating func respondRead(_ request: UInt64, to node: NodeID, index: UInt64, _ effects: inout Effects) {
        if node == id {
            gotReadIndex(request, index, &effects)
        } else {
            effects.append(.send(to: node, .readIndexReply(request: request, index: index)))
        }
    }

    /// A read learnt its read index: answer once it is applied.
    mutating func gotReadIndex(_ request: UInt64, _ index: UInt64, _ effects: inout Effects) {
        guard let w = waiting[request], case .indexRead(nil) = w.kind else { return }
        waiting[request]!.kind = .indexRead(index: index)
        if lastApplied >= index {
            finishRead(request, &effects)
        } else {
            indexReadsAwaitingApply.append((index, request))
        }
    }

    mutating func finishRead(_ request: UInt64, _ effects: inout Effects) {
        guard let w = waiting.removeValue(forKey: request) else { return }
        answer(ClientReply(id: request, outcome: .read(store[w.key].map(Versioned.lww))), replyTo: w.replyTo, &effects)
    }

    func answer(_ reply: ClientReply, replyTo: NodeID?, _ effects: inout Effects) {
        if let replyTo {
            effects.append(.send(to: replyTo, .proxyReply(reply)))
        } else {
            effects.append(.reply(reply))
        }
    }

    /// A leader is known (or this node leads): forward what waited for one.
    mutating func releaseParked(_ local: Int64, _ effects: inout Effects) {
        guard !parked.isEmpty, let leader else { return }
        let held = parked
        parked.removeAll()
        for item in held {
            if item.readIndex {
                guard waiting[item.request.id] != nil else { continue }
                if role == .leader {
                    leaderRead(request: item.request.id, from: id, local, &effects)
                } else {
                    effects.append(.send(to: leader, .readIndex(request: item.request.id)))
                }
            } else {
                route(item.request, origin: item.origin, hops: 0, local, &effects)
            }
        }
    }
}
