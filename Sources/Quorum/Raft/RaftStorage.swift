import Foundation
import RaftLog

/// A Raft node's log: an `InMemoryLog`, or a `DurableLog` (WAL on disk)
/// when the configuration asks for one. A struct with both, not an
/// existential, so the in-memory path costs no dynamic dispatch.
///
/// Only the entries are kept here; the commit index is the node's volatile
/// state (Figure 2 of Ongaro & Ousterhout 2014), relearnt after a restart.
struct RaftStorage {
    var memory = InMemoryLog()
    let durable: DurableLog?

    init(_ raft: RaftConfiguration, node: NodeID) {
        switch raft.durability {
        case .memory:
            durable = nil
        case .none, .fsync, .group:
            guard let base = raft.logDirectory else { preconditionFailure("a durable Raft log needs RaftConfiguration.logDirectory") }
            let policy = DurabilityPolicy(rawValue: raft.durability.rawValue)!
            let directory = URL(fileURLWithPath: base).appendingPathComponent("node-\(node)")
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                durable = try DurableLog(directory: directory, policy: policy)
            } catch {
                preconditionFailure("cannot open the Raft log in \(directory.path): \(error)")
            }
        }
    }

    var lastIndex: UInt64 { durable?.lastIndex ?? memory.lastIndex }
    var lastTerm: UInt64 { durable?.lastTerm ?? memory.lastTerm }
    func term(at index: UInt64) -> UInt64? { durable?.term(at: index) ?? memory.term(at: index) }

    func entries(from: UInt64, to: UInt64) -> [LogEntry] {
        guard from < to else { return [] }
        return Self.must { try durable?.entries(from: from, to: to) ?? memory.entries(from: from, to: to) }
    }

    /// The command at `index`.
    func command(at index: UInt64) -> RaftCommand? {
        if let durable {
            guard let entry = Self.must({ try durable.entries(from: index, to: index + 1) }).first else { return nil }
            return entry.payload.withUnsafeBytes { RaftCommand(decoding: $0) }
        }
        return Self.must { try memory.withPayload(at: index) { RaftCommand(decoding: $0) } }
    }

    mutating func append(_ batch: EntryBatch) {
        if let durable { Self.must { try durable.append(batch) } } else { Self.must { try memory.append(batch) } }
    }

    mutating func appendEntries(prevLogIndex: UInt64, prevLogTerm: UInt64, entries: [LogEntry]) -> AppendEntriesResult {
        if var durable {
            return Self.must { try durable.appendEntries(prevLogIndex: prevLogIndex, prevLogTerm: prevLogTerm, entries: entries) }
        }
        return Self.must { try memory.appendEntries(prevLogIndex: prevLogIndex, prevLogTerm: prevLogTerm, entries: entries) }
    }

    /// The log refuses only what Raft never asks of it (a gap, a term going
    /// down, a disk failure): a broken invariant, not bad input.
    @discardableResult
    static func must<R>(_ body: () throws -> R) -> R {
        do { return try body() } catch { preconditionFailure("Raft log: \(error)") }
    }
}
