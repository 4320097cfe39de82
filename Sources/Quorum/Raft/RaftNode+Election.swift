/// Leader election (Ongaro & Ousterhout 2014, §5.2, §5.4.1), PreVote
/// (thesis §9.6, as etcd grants it) and CheckQuorum (thesis §6.2, §4.2.3).
extension RaftNode {
    /// A fresh randomized timeout in [T, 2T) on this node's clock, and a timer for it.
    mutating func resetElectionTimer(_ local: Int64, _ effects: inout Effects) {
        let t = raft.electionTimeoutNanoseconds
        let wait = role == .leader ? t : t &+ Int64(rng.next() % UInt64(t))
        electionDeadline = local &+ wait
        electionGeneration &+= 1
        effects.append(.setTimer(afterNanoseconds: realDelay(wait), .election(generation: electionGeneration)))
    }

    /// Pushes the deadline back without a new timer: the pending one re-arms for what is left when it fires.
    mutating func extendElectionDeadline(_ local: Int64) {
        let t = raft.electionTimeoutNanoseconds
        electionDeadline = local &+ t &+ Int64(rng.next() % UInt64(t))
    }

    mutating func electionTimerFired(_ local: Int64, _ effects: inout Effects) {
        if local < electionDeadline {
            electionGeneration &+= 1
            effects.append(.setTimer(afterNanoseconds: realDelay(electionDeadline &- local), .election(generation: electionGeneration)))
            return
        }
        if role == .leader {
            // CheckQuorum: step down unless a majority was heard from during the last timeout.
            if raft.checkQuorum {
                var active = 1
                for peer in 0..<members where peer != id && recentlyActive[peer] { active += 1 }
                for peer in 0..<members { recentlyActive[peer] = false }
                if active < majority {
                    becomeFollower(term: currentTerm, leader: nil, local, &effects)
                    return
                }
            }
            resetElectionTimer(local, &effects)
            return
        }
        resetElectionTimer(local, &effects)
        if raft.preVote { startPreVote(local, &effects) } else { startElection(local, &effects) }
    }

    mutating func startPreVote(_ local: Int64, _ effects: inout Effects) {
        role = .preCandidate
        leader = nil
        votes = [id]
        if votes.count >= majority { return startElection(local, &effects) }
        for peer in 0..<members where peer != id {
            effects.append(.send(to: peer, .requestVote(term: currentTerm &+ 1, lastLogIndex: log.lastIndex, lastLogTerm: log.lastTerm, preVote: true)))
        }
    }

    mutating func startElection(_ local: Int64, _ effects: inout Effects) {
        currentTerm &+= 1
        votedFor = id
        role = .candidate
        leader = nil
        votes = [id]
        if votes.count >= majority { return becomeLeader(local, &effects) }
        for peer in 0..<members where peer != id {
            effects.append(.send(to: peer, .requestVote(term: currentTerm, lastLogIndex: log.lastIndex, lastLogTerm: log.lastTerm, preVote: false)))
        }
    }

    /// §5.4.1: the candidate's log is at least as up to date as this node's.
    func isUpToDate(lastIndex: UInt64, lastTerm: UInt64) -> Bool {
        if raft.unsafeVariant == .votesWithoutUpToDateCheck { return true }
        let myTerm = log.lastTerm
        return lastTerm > myTerm || (lastTerm == myTerm && lastIndex >= log.lastIndex)
    }

    /// Whether this node heard from a leader within the election timeout (and so ignores vote requests, under CheckQuorum or leases).
    /// Under CheckQuorum alone (etcd) only while a leader is known; with leases also for a
    /// timeout after a (re)start, in case this node acknowledged a lease round before it crashed.
    func inLease(_ local: Int64) -> Bool {
        raft.refusesVotesInLease && local &- lastLeaderContact < raft.electionTimeoutNanoseconds
            && (leader != nil || raft.readMode == .lease)
    }

    mutating func handleRequestVote(from: NodeID, term: UInt64, lastIndex: UInt64, lastTerm: UInt64, preVote: Bool,
                                    _ local: Int64, _ effects: inout Effects) {
        guard isMember else { return }
        if term > currentTerm && inLease(local) && leader != from { return }
        if preVote {
            // Nobody changes term for a PreVote (etcd: granted when the term is higher and the log up to date).
            let granted = term > currentTerm && isUpToDate(lastIndex: lastIndex, lastTerm: lastTerm)
            effects.append(.send(to: from, .vote(term: granted ? term : currentTerm, granted: granted, preVote: true)))
            return
        }
        if term > currentTerm { becomeFollower(term: term, leader: nil, local, &effects) }
        let granted = term == currentTerm && (votedFor == nil || votedFor == from) && isUpToDate(lastIndex: lastIndex, lastTerm: lastTerm)
        if granted {
            votedFor = from
            extendElectionDeadline(local)
        }
        effects.append(.send(to: from, .vote(term: currentTerm, granted: granted, preVote: false)))
    }

    mutating func handleVote(from: NodeID, term: UInt64, granted: Bool, preVote: Bool, _ local: Int64, _ effects: inout Effects) {
        if term > currentTerm && !(preVote && granted) {
            becomeFollower(term: term, leader: nil, local, &effects)
            return
        }
        guard granted else { return }
        if preVote {
            guard role == .preCandidate, term == currentTerm &+ 1 else { return }
            votes.insert(from)
            if votes.count >= majority { startElection(local, &effects) }
        } else {
            guard role == .candidate, term == currentTerm else { return }
            votes.insert(from)
            if votes.count >= majority { becomeLeader(local, &effects) }
        }
    }

    /// Steps down into `term` (raising it clears the vote), following `leader` if known.
    mutating func becomeFollower(term: UInt64, leader newLeader: NodeID?, _ local: Int64, _ effects: inout Effects) {
        let wasLeader = role == .leader
        if term > currentTerm {
            currentTerm = term
            votedFor = nil
        }
        role = .follower
        leader = newLeader
        if wasLeader {
            pendingReads.removeAll()
            deferredReads.removeAll()
            roundStarted.removeAll()
            leaseExpiry = .min
            resetElectionTimer(local, &effects)
        }
        if newLeader != nil { releaseParked(local, &effects) }
    }

    mutating func becomeLeader(_ local: Int64, _ effects: inout Effects) {
        role = .leader
        leader = id
        nextIndex = Array(repeating: log.lastIndex &+ 1, count: members)
        matchIndex = Array(repeating: 0, count: members)
        ackedRound = Array(repeating: 0, count: members)
        recentlyActive = Array(repeating: false, count: members)
        roundStarted.removeAll()
        leaseExpiry = .min
        pendingReads.removeAll()
        deferredReads.removeAll()
        // A no-op of the new term, so the entries before it commit (§5.4.2) and reads can be served (§6.4).
        appendLocal(RaftCommand(kind: .noop, leader: UInt16(truncatingIfNeeded: id)))
        resetElectionTimer(local, &effects)
        effects.append(.setTimer(afterNanoseconds: realDelay(raft.heartbeatIntervalNanoseconds), .heartbeat(term: currentTerm)))
        if members == 1 { advanceCommit(local, &effects) }
        broadcastAppend(local, &effects)
        releaseParked(local, &effects)
    }
}
