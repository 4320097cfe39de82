import Foundation
import HashRing
import RaftLog
import Simulation
@testable import Quorum

/// A small interpreter for Raft scenario scripts in the style of
/// etcd-io/raft's `testdata/*.txt` (cockroachdb/datadriven): each command,
/// a `----` line, and the exact output expected, then a blank line.
/// Time, delivery and faults are explicit, so a script reads as the
/// protocol trace it checks.
///
/// After every step the ``RaftInvariantChecker`` (Figure 3's properties)
/// looks at the node; each distinct violation prints once, as
/// `violation: PROPERTY: DETAIL`, where it happened.
///
/// Commands (node ids are integers; `ms` virtual milliseconds):
/// - `cluster n=3 [read_mode=…] [pre_vote=true] [check_quorum=true] [election=100] [heartbeat=30] [max_append=64]
///   [unsafe=VARIANT]` (a ``RaftConfiguration/UnsafeVariant``, test-only)
/// - `campaign ID`: ID's election timer expires now.
/// - `tick MS`: time passes; due timers fire (their messages are queued, not delivered).
/// - `deliver [from=ID] [to=ID] [drop=true]`: delivers (or drops) the queued messages that match,
///   in order, once; new messages are queued.
/// - `stabilize`: delivers until nothing is queued.
/// - `propose ID key=K` / `read ID key=K`: a client write (sequence = request id) or read at ID.
/// - `partition A B | C …` (one side, a bar, the other) / `heal`.
/// - `crash ID` / `restart ID`.
/// - `status`: each node's role, term, vote, log and indexes.
/// Messages print as `from->to Kind fields`; client answers as `ID: reply REQUEST outcome`.
struct RaftScript {
    var nodes: [RaftNode] = []
    var up: [Bool] = []
    var queue: [(from: NodeID, to: NodeID, message: RaftMessage)] = []
    var timers: [(due: Int64, node: NodeID, timer: RaftTimer, epoch: Int)] = []
    var epoch: [Int] = []
    var side: [Int] = []
    var now: Int64 = 0
    var nextRequest: UInt64 = 1
    var checker = RaftInvariantChecker(nodes: 0)
    /// Every distinct violation the checker reported, in order.
    var violations: [RaftInvariantChecker.Violation] = []
    /// Every (index, term) any node has counted as committed.
    var committed: Set<LogPosition> = []
    /// When set, every `cluster` runs this variant whatever its line says (a script rerun under a broken rule).
    var unsafeVariantOverride: RaftConfiguration.UnsafeVariant?

    struct LogPosition: Hashable { let index: UInt64; let term: UInt64 }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Runs one command, returning its output.
    mutating func run(_ line: String) throws -> String {
        let words = line.split(separator: " ").map(String.init)
        guard let command = words.first else { return "" }
        let args = Array(words.dropFirst())
        var named: [String: String] = [:]
        var positional: [String] = []
        for a in args {
            if let eq = a.firstIndex(of: "=") { named[String(a[..<eq])] = String(a[a.index(after: eq)...]) } else { positional.append(a) }
        }
        func node(_ i: Int = 0) throws -> Int {
            guard i < positional.count, let id = Int(positional[i]), nodes.indices.contains(id) else { throw Failure(description: "\(line): expected a node id") }
            return id
        }
        var out: [String] = []
        switch command {
        case "cluster":
            let n = Int(named["n"] ?? "3")!
            var quorum = QuorumConfiguration(n: n, r: n / 2 + 1, w: n / 2 + 1, timeoutNanoseconds: 1_000_000_000)
            quorum.raft = RaftConfiguration(readMode: RaftConfiguration.ReadMode(rawValue: named["read_mode"] ?? "read_index")!,
                                            preVote: named["pre_vote"] == "true", checkQuorum: named["check_quorum"] == "true",
                                            electionTimeoutNanoseconds: Int64(named["election"] ?? "100")! * 1_000_000,
                                            heartbeatIntervalNanoseconds: Int64(named["heartbeat"] ?? "30")! * 1_000_000,
                                            maxEntriesPerAppend: Int(named["max_append"] ?? "64")!)
            if let name = named["unsafe"] {
                guard let variant = RaftConfiguration.UnsafeVariant(rawValue: name) else { throw Failure(description: "\(line): unknown unsafe variant '\(name)'") }
                quorum.raft.unsafeVariant = variant
            }
            if let variant = unsafeVariantOverride { quorum.raft.unsafeVariant = variant }
            let ring = TokenRing(nodes: (0..<n).map { "node-\($0)" }, virtualNodes: 1)
            nodes = (0..<n).map { RaftNode(NodeSetup(id: $0, configuration: quorum, ring: ring, randomSeed: 1)) }
            queue.removeAll()
            timers.removeAll()
            up = Array(repeating: true, count: n)
            epoch = Array(repeating: 0, count: n)
            side = Array(repeating: 0, count: n)
            checker = RaftInvariantChecker(nodes: n)
            violations.removeAll()
            committed.removeAll()
            for id in 0..<n { step(id, .start, &out) }
            // Timers set at start are not shown: they are the randomized election timeouts.
            out.removeAll()
        case "campaign":
            let id = try node()
            nodes[id].electionDeadline = nodes[id].localTime(now)
            step(id, .timer(.election(generation: nodes[id].electionGeneration)), &out)
        case "tick":
            guard let ms = Int64(positional.first ?? "") else { throw Failure(description: "\(line): expected milliseconds") }
            let end = now + ms * 1_000_000
            while let next = timers.indices.filter({ timers[$0].due <= end }).min(by: { (timers[$0].due, $0) < (timers[$1].due, $1) }) {
                let t = timers.remove(at: next)
                now = t.due
                guard up[t.node], epoch[t.node] == t.epoch else { continue }
                step(t.node, .timer(t.timer), &out)
            }
            now = end
        case "deliver", "stabilize":
            let from = named["from"].flatMap(Int.init), to = named["to"].flatMap(Int.init)
            repeat {
                let batch = queue.filter { (from == nil || $0.from == from) && (to == nil || $0.to == to) }
                queue.removeAll { (from == nil || $0.from == from) && (to == nil || $0.to == to) }
                if batch.isEmpty { break }
                for m in batch {
                    if named["drop"] == "true" { out.append("dropped \(m.from)->\(m.to) \(Self.describe(m.message))"); continue }
                    guard up[m.to] else { continue }
                    step(m.to, .message(from: m.from, m.message), &out)
                }
            } while command == "stabilize"
        case "propose", "read":
            let id = try node()
            let key = UInt64(named["key"] ?? "1")!
            let request = nextRequest
            nextRequest += 1
            step(id, .client(ClientRequest(id: request, operation: command == "propose" ? .write(key: key, sequence: request) : .read(key: key))), &out)
        case "partition":
            side = Array(repeating: 0, count: nodes.count)
            for p in positional.prefix(while: { $0 != "|" }) { side[Int(p)!] = 1 }
        case "heal":
            side = Array(repeating: 0, count: nodes.count)
        case "crash":
            let id = try node()
            up[id] = false
            epoch[id] += 1
            nodes[id].crash()
            checker.crashed(id)
            timers.removeAll { $0.node == id }
        case "restart":
            let id = try node()
            up[id] = true
            step(id, .start, &out)
        case "status":
            for n in nodes {
                let terms = (1..<(n.lastLogIndex + 1)).map { String(n.logTerm(at: $0)!) }.joined(separator: " ")
                out.append("\(n.id): \(up[n.id] ? n.role.rawValue : "down") term=\(n.currentTerm) vote=\(n.votedFor.map(String.init) ?? "-") "
                           + "log=[\(terms)] commit=\(n.commitIndex) applied=\(n.lastApplied) leader=\(n.leader.map(String.init) ?? "-")")
            }
        default:
            throw Failure(description: "unknown command '\(command)'")
        }
        return out.joined(separator: "\n")
    }

    mutating func step(_ id: NodeID, _ input: CoreInput<RaftMessage, RaftTimer>, _ out: inout [String]) {
        // The entries this step may write: the leader's appends, or a follower's from the AppendEntries' previous index on.
        var writtenFrom = nodes[id].lastLogIndex + 1
        if case .message(_, .appendEntries(_, let prevIndex, _, let entries, _, _)) = input, !entries.isEmpty {
            writtenFrom = Swift.min(writtenFrom, prevIndex + 1)
        }
        defer {
            if let violation = checker.check(nodes[id], writtenFrom: writtenFrom), !violations.contains(violation) {
                violations.append(violation)
                out.append("violation: \(violation)")
            }
            let node = nodes[id]
            if node.commitIndex > 0 {
                for index in 1...Swift.min(node.commitIndex, node.lastLogIndex) {
                    committed.insert(LogPosition(index: index, term: node.logTerm(at: index)!))
                }
            }
        }
        for effect in nodes[id].step(now: now, input) {
            switch effect {
            case .send(let to, let message):
                if side[id] != side[to] {
                    out.append("\(id)->\(to) \(Self.describe(message)) (cut off)")
                } else {
                    out.append("\(id)->\(to) \(Self.describe(message))")
                    queue.append((id, to, message))
                }
            case .setTimer(let after, let timer):
                timers.append((now + after, id, timer, epoch[id]))
            case .reply(let reply):
                out.append("\(id): reply \(reply.id) \(Self.describe(reply.outcome))")
            }
        }
    }

    static func describe(_ outcome: ClientReply.Outcome) -> String {
        func v(_ s: Versioned?) -> String {
            guard let version = s?.lwwVersion else { return "none" }
            return "seq=\(version.sequence)@\(version.timestamp)"
        }
        switch outcome {
        case .written(let s): return "written \(v(s))"
        case .read(let s): return "read \(v(s))"
        case .timedOut: return "timed out"
        }
    }

    static func describe(_ m: RaftMessage) -> String {
        switch m {
        case .requestVote(let term, let index, let lastTerm, let preVote):
            return "\(preVote ? "PreVote" : "Vote") term=\(term) last=\(index)/\(lastTerm)"
        case .vote(let term, let granted, let preVote):
            return "\(preVote ? "PreVoteResp" : "VoteResp") term=\(term) \(granted ? "granted" : "rejected")"
        case .appendEntries(let term, let prev, let prevTerm, let entries, let commit, let round):
            let e = entries.map { "\($0.index)/\($0.term)" }.joined(separator: " ")
            return "App term=\(term) prev=\(prev)/\(prevTerm) entries=[\(e)] commit=\(commit) round=\(round)"
        case .appendReply(let term, let success, let index, let round):
            return "AppResp term=\(term) \(success ? "ok" : "reject") index=\(index) round=\(round)"
        case .propose(let request, let origin, let hops):
            return "Prop request=\(request.id) origin=\(origin) hops=\(hops)"
        case .readIndex(let request): return "ReadIndex request=\(request)"
        case .readIndexReply(let request, let index): return "ReadIndexResp request=\(request) index=\(index)"
        case .proxy(let request): return "Proxy request=\(request.id)"
        case .proxyReply(let reply): return "ProxyResp request=\(reply.id) \(describe(reply.outcome))"
        }
    }
}
