import Foundation

/// An etcd v3 client over the JSON gateway (HTTP/1.1, one keep-alive
/// connection): `/v3/kv/put`, `/v3/kv/range` (linearizable, or
/// `serializable` from the member's local state), `/v3/kv/txn`
/// (compare-and-set) and `/v3/maintenance/status`. Keys and values travel
/// base64-encoded; int64 fields come back as JSON strings.
///
/// Not thread-safe: one client per client thread.
public final class EtcdClient {
    let connection: BufferedConnection
    let hostHeader: String

    /// A client of the member at `address:port`; its socket is made in `host`'s namespace.
    public init(from host: MemberHost?, address: String, port: Int, timeoutSeconds: Double = 2) {
        connection = BufferedConnection(from: host, address: address, port: port, timeoutSeconds: timeoutSeconds)
        hostHeader = "\(address):\(port)"
    }

    static func keyName(_ key: UInt64) -> String { "k\(key)" }
    static func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }

    /// Writes `value`; returns the revision of the write (etcd's total order of writes).
    public func put(key: UInt64, value: Int64) throws -> Int64 {
        let reply = try post("/v3/kv/put", "{\"key\":\"\(Self.b64(Self.keyName(key)))\",\"value\":\"\(Self.b64(String(value)))\"}", isWrite: true)
        return Self.int((reply["header"] as? [String: Any])?["revision"]) ?? 0
    }

    /// Reads a key: its value (nil when absent) and the revision that wrote it (0 when absent).
    public func get(key: UInt64, serializable: Bool) throws -> (value: Int64?, modRevision: Int64) {
        let body = "{\"key\":\"\(Self.b64(Self.keyName(key)))\"\(serializable ? ",\"serializable\":true" : "")}"
        let reply = try post("/v3/kv/range", body, isWrite: false)
        guard let kv = (reply["kvs"] as? [[String: Any]])?.first else { return (nil, 0) }
        return (Self.decodedValue(kv["value"]), Self.int(kv["mod_revision"]) ?? 0)
    }

    /// Sets `key` to `new` if it holds `expected` (nil: absent); true when it did.
    public func compareAndSet(key: UInt64, expected: Int64?, new: Int64) throws -> Bool {
        let k = Self.b64(Self.keyName(key))
        let compare = expected.map { "{\"key\":\"\(k)\",\"target\":\"VALUE\",\"result\":\"EQUAL\",\"value\":\"\(Self.b64(String($0)))\"}" }
            ?? "{\"key\":\"\(k)\",\"target\":\"VERSION\",\"result\":\"EQUAL\",\"version\":\"0\"}"
        let body = "{\"compare\":[\(compare)],\"success\":[{\"request_put\":{\"key\":\"\(k)\",\"value\":\"\(Self.b64(String(new)))\"}}]}"
        let reply = try post("/v3/kv/txn", body, isWrite: true)
        return (reply["succeeded"] as? Bool) ?? false
    }

    /// This member's ID and the leader's ID as it sees them (0: no leader known).
    public func status() throws -> (member: UInt64, leader: UInt64) {
        let reply = try post("/v3/maintenance/status", "{}", isWrite: false)
        let member = UInt64(Self.string((reply["header"] as? [String: Any])?["member_id"]) ?? "") ?? 0
        return (member, UInt64(Self.string(reply["leader"]) ?? "") ?? 0)
    }

    func post(_ path: String, _ body: String, isWrite: Bool) throws -> [String: Any] {
        let request = "POST \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        try connection.send(Array(request.utf8))
        let (status, payload) = try readResponse()
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] else {
            connection.disconnect()
            throw RequestError.indeterminate("unreadable reply (HTTP \(status)) from \(hostHeader)")
        }
        if let error = object["error"] as? String ?? (status >= 400 ? object["message"] as? String : nil) {
            // A timed-out or unknown-outcome write may still commit; a read changes nothing.
            let definite = error.contains("no leader") || error.contains("not capable") || error.contains("too many requests")
            throw isWrite && !definite ? RequestError.indeterminate(error) : RequestError.failed(error)
        }
        return object
    }

    func readResponse() throws -> (Int, [UInt8]) {
        let statusLine = String(decoding: try connection.readLine(), as: UTF8.self)
        let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
        var length: Int?
        var chunked = false
        while true {
            let line = try connection.readLine()
            if line.isEmpty { break }
            let header = String(decoding: line, as: UTF8.self).lowercased()
            if header.hasPrefix("content-length:") { length = Int(header.dropFirst(15).trimmingCharacters(in: .whitespaces)) }
            if header.hasPrefix("transfer-encoding:") && header.contains("chunked") { chunked = true }
        }
        if let length { return (status, try connection.read(length)) }
        guard chunked else { connection.disconnect(); throw RequestError.indeterminate("reply without length from \(hostHeader)") }
        var body: [UInt8] = []
        while true {
            let size = Int(String(decoding: try connection.readLine(), as: UTF8.self).split(separator: ";")[0], radix: 16) ?? 0
            if size == 0 { _ = try connection.readLine(); break }
            body += try connection.read(size)
            _ = try connection.readLine()
        }
        return (status, body)
    }

    static func string(_ v: Any?) -> String? {
        if let s = v as? String { return s }
        if let n = v as? NSNumber { return n.stringValue }
        return nil
    }

    static func int(_ v: Any?) -> Int64? { string(v).flatMap { Int64($0) } }

    static func decodedValue(_ v: Any?) -> Int64? {
        guard let s = v as? String, let data = Data(base64Encoded: s) else { return nil }
        return Int64(String(decoding: data, as: UTF8.self))
    }
}
