import Foundation

/// A Redis client speaking RESP2 over one keep-alive connection: `SET`,
/// `GET`, `WAIT numreplicas timeout`, `INFO replication`, and any command.
///
/// Not thread-safe: one client per client thread.
public final class RedisClient {
    public enum Reply: Equatable, Sendable {
        case simple(String)
        case error(String)
        case integer(Int64)
        case bulk([UInt8]?)
        case array([Reply]?)
    }

    let connection: BufferedConnection
    let endpoint: String

    public init(from host: MemberHost?, address: String, port: Int, timeoutSeconds: Double = 2) {
        connection = BufferedConnection(from: host, address: address, port: port, timeoutSeconds: timeoutSeconds)
        endpoint = "\(address):\(port)"
    }

    static func keyName(_ key: UInt64) -> String { "k\(key)" }

    public func set(key: UInt64, value: Int64) throws {
        guard case .simple("OK") = try command(["SET", Self.keyName(key), String(value)], isWrite: true) else {
            throw RequestError.indeterminate("unexpected SET reply from \(endpoint)")
        }
    }

    public func get(key: UInt64) throws -> Int64? {
        switch try command(["GET", Self.keyName(key)], isWrite: false) {
        case .bulk(nil): return nil
        case .bulk(let bytes?): return Int64(String(decoding: bytes, as: UTF8.self))
        default: throw RequestError.failed("unexpected GET reply from \(endpoint)")
        }
    }

    /// `WAIT replicas timeoutMs`: how many replicas acknowledged every write of this connection so far.
    public func wait(replicas: Int, timeoutMilliseconds: Int) throws -> Int {
        guard case .integer(let n) = try command(["WAIT", String(replicas), String(timeoutMilliseconds)], isWrite: true) else {
            throw RequestError.indeterminate("unexpected WAIT reply from \(endpoint)")
        }
        return Int(n)
    }

    /// `INFO replication` as field → value.
    public func replicationInfo() throws -> [String: String] {
        guard case .bulk(let bytes?) = try command(["INFO", "replication"], isWrite: false) else { return [:] }
        var fields: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        return fields
    }

    /// Sends one command and reads its reply; an error reply throws (`failed` for a read or a
    /// refusal such as READONLY, `indeterminate` otherwise for a write).
    @discardableResult
    public func command(_ arguments: [String], isWrite: Bool = true) throws -> Reply {
        var request = "*\(arguments.count)\r\n"
        for a in arguments { request += "$\(a.utf8.count)\r\n\(a)\r\n" }
        try connection.send(Array(request.utf8))
        let reply = try readReply()
        if case .error(let message) = reply {
            let refused = message.hasPrefix("READONLY") || message.hasPrefix("NOREPLICAS") || message.hasPrefix("ERR") || message.hasPrefix("LOADING")
            throw isWrite && !refused ? RequestError.indeterminate(message) : RequestError.failed(message)
        }
        return reply
    }

    func readReply() throws -> Reply {
        let line = try connection.readLine()
        guard let type = line.first else { throw RequestError.indeterminate("empty reply line from \(endpoint)") }
        let rest = String(decoding: line.dropFirst(), as: UTF8.self)
        switch type {
        case UInt8(ascii: "+"): return .simple(rest)
        case UInt8(ascii: "-"): return .error(rest)
        case UInt8(ascii: ":"): return .integer(Int64(rest) ?? 0)
        case UInt8(ascii: "$"):
            let n = Int(rest) ?? -1
            if n < 0 { return .bulk(nil) }
            let bytes = try connection.read(n)
            _ = try connection.readLine()
            return .bulk(bytes)
        case UInt8(ascii: "*"):
            let n = Int(rest) ?? -1
            if n < 0 { return .array(nil) }
            return .array(try (0..<n).map { _ in try readReply() })
        default:
            connection.disconnect()
            throw RequestError.indeterminate("unreadable RESP reply from \(endpoint)")
        }
    }
}
