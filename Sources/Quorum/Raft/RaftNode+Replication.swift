import RaftLog

/// Log replication (Ongaro & Ousterhout 2014, §5.3, §5.4.2): AppendEntries
/// with the consistency check and conflict truncation, commit by majority
/// match index counting only entries of the leader's term, apply.
extension RaftNode {
    /// Appends one command to the leader's own log.
    mutating func appendLocal(_ command: RaftCommand) {
        command.encode(into: &scratch)
        batch.removeAll()
        batch.append(term: currentTerm, payload: scratch)
        log.append(batch)
        matchIndex[id] = log.lastIndex
        nextIndex[id] = log.lastIndex &+ 1
    }

    /// Starts a new heartbeat round and sends every peer what it lacks (nothing: a heartbeat).
    mutating func broadcastAppend(_ local: Int64, _ effects: inout Effects) {
        round &+= 1
        ackedRound[id] = round
        if raft.readMode == .lease { roundStarted[round] = local }
        for peer in 0..<members where peer != id { sendAppend(to: peer, &effects) }
        if members == 1 { releaseReads(local, &effects) }
    }

    /// AppendEntries to `peer` from its next index, optimistically advancing it (pipelining, as etcd's replicate state).
    mutating func sendAppend(to peer: NodeID, _ effects: inout Effects) {
        let prev = nextIndex[peer] &- 1
        guard let prevTerm = log.term(at: prev) else {
            // Cannot happen without compaction; resend from the start.
            nextIndex[peer] = 1
            return sendAppend(to: peer, &effects)
        }
        let end = Swift.min(log.lastIndex &+ 1, nextIndex[peer] &+ UInt64(raft.maxEntriesPerAppend))
        let entries = log.entries(from: nextIndex[peer], to: end)
        nextIndex[peer] = Swift.max(nextIndex[peer], end)
        effects.append(.send(to: peer, .appendEntries(term: currentTerm, prevLogIndex: prev, prevLogTerm: prevTerm, entries: entries,
                                                      leaderCommit: commitIndex, round: round)))
    }

    mutating func handleAppendEntries(from: NodeID, term: UInt64, prevIndex: UInt64, prevTerm: UInt64, entries: [LogEntry],
                                      leaderCommit: UInt64, round: UInt64, _ local: Int64, _ effects: inout Effects) {
        guard isMember else { return }
        if term < currentTerm {
            // A stale leader: tell it the current term.
            effects.append(.send(to: from, .appendReply(term: currentTerm, success: false, index: log.lastIndex, round: round)))
            return
        }
        if term > currentTerm || role != .follower || leader != from {
            becomeFollower(term: term, leader: from, local, &effects)
        }
        lastLeaderContact = local
        extendElectionDeadline(local)
        switch log.appendEntries(prevLogIndex: prevIndex, prevLogTerm: prevTerm, entries: entries) {
        case .accepted(let match):
            // Figure 2: commitIndex = min(leaderCommit, index of last new entry).
            let target = Swift.min(leaderCommit, match)
            if target > commitIndex {
                commitIndex = target
                apply(local, &effects)
            }
            effects.append(.send(to: from, .appendReply(term: currentTerm, success: true, index: match, round: round)))
        case .rejected(let lastIndex):
            // The hint: retry from at most one below the rejected index.
            effects.append(.send(to: from, .appendReply(term: currentTerm, success: false, index: Swift.min(prevIndex &- 1, lastIndex), round: round)))
        }
    }

    mutating func handleAppendReply(from: NodeID, term: UInt64, success: Bool, index: UInt64, round: UInt64,
                                    _ local: Int64, _ effects: inout Effects) {
        if term > currentTerm {
            becomeFollower(term: term, leader: nil, local, &effects)
            return
        }
        guard role == .leader, term == currentTerm else { return }
        recentlyActive[from] = true
        if round > ackedRound[from] {
            ackedRound[from] = round
            releaseReads(local, &effects)
        }
        if success {
            if index > matchIndex[from] {
                matchIndex[from] = index
                advanceCommit(local, &effects)
            }
            if nextIndex[from] <= index { nextIndex[from] = index &+ 1 }
            if nextIndex[from] <= log.lastIndex { sendAppend(to: from, &effects) }
        } else {
            // Back up to the follower's hint (below the rejected index), never below what it matched.
            nextIndex[from] = Swift.max(matchIndex[from] &+ 1, Swift.min(nextIndex[from], index &+ 1))
            sendAppend(to: from, &effects)
        }
    }

    /// §5.3/§5.4.2: the highest index a majority stores becomes committed if its entry is of the current term.
    mutating func advanceCommit(_ local: Int64, _ effects: inout Effects) {
        var sorted = matchIndex
        sorted.sort(by: >)
        let candidate = sorted[majority &- 1]
        guard candidate > commitIndex else { return }
        if raft.unsafeVariant != .commitEarlierTermsByCounting {
            guard log.term(at: candidate) == currentTerm else { return }
        }
        let hadTermEntry = committedInTerm
        commitIndex = candidate
        apply(local, &effects)
        if !hadTermEntry && committedInTerm { promoteDeferredReads(local, &effects) }
        // Tell the followers at once (etcd's bcastAppend after maybeCommit).
        broadcastAppend(local, &effects)
    }

    /// Whether an entry of this leader's term is committed (reads need it: §6.4 step 1).
    var committedInTerm: Bool { log.term(at: commitIndex) == currentTerm }

    /// Applies committed entries in order, answering the requests this node waits on.
    mutating func apply(_ local: Int64, _ effects: inout Effects) {
        let last = Swift.min(commitIndex, log.lastIndex)
        guard lastApplied < last else { return }
        while lastApplied < last {
            lastApplied &+= 1
            guard let command = log.command(at: lastApplied) else { continue }
            switch command.kind {
            case .noop:
                break
            case .write:
                guard appliedRequests.insert(command.request).inserted else { continue }
                let version = Version(timestamp: Int64(lastApplied), coordinator: Int(command.leader), sequence: command.sequence)
                store[command.key] = version
                if let w = waiting[command.request], case .write = w.kind {
                    waiting[command.request] = nil
                    answer(ClientReply(id: command.request, outcome: .written(.lww(version))), replyTo: w.replyTo, &effects)
                }
            case .read:
                guard appliedRequests.insert(command.request).inserted else { continue }
                if let w = waiting[command.request], case .logRead = w.kind {
                    waiting[command.request] = nil
                    answer(ClientReply(id: command.request, outcome: .read(store[command.key].map(Versioned.lww))), replyTo: w.replyTo, &effects)
                }
            }
        }
        // Reads waiting for their read index to be applied, in the order they got it.
        if !indexReadsAwaitingApply.isEmpty {
            let applied = lastApplied
            let ready = indexReadsAwaitingApply.filter { $0.index <= applied }
            indexReadsAwaitingApply.removeAll { $0.index <= applied }
            for read in ready { finishRead(read.request, &effects) }
        }
    }
}
