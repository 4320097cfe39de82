import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a request did not return a result. `indeterminate`: it may have taken
/// effect (a timeout, a dropped connection after sending) — recorded `:info`;
/// `failed`: it certainly did not (refused before sending, or an error reply
/// that says so) — recorded `:fail`.
public enum RequestError: Error, CustomStringConvertible, Sendable {
    case indeterminate(String)
    case failed(String)

    public var description: String {
        switch self {
        case .indeterminate(let m): return "indeterminate: \(m)"
        case .failed(let m): return "failed: \(m)"
        }
    }
}

/// One keep-alive TCP connection with a read buffer: the transport both
/// clients share. Reconnects lazily after an error; every read and write is
/// bounded by `timeoutSeconds`.
final class BufferedConnection {
    let host: MemberHost?
    let address: String
    let port: Int
    let timeoutSeconds: Double
    private var fd: Int32 = -1
    private var buffer = [UInt8](repeating: 0, count: 64 << 10)
    private var start = 0
    private var end = 0

    init(from host: MemberHost?, address: String, port: Int, timeoutSeconds: Double) {
        self.host = host
        self.address = address
        self.port = port
        self.timeoutSeconds = timeoutSeconds
    }

    deinit { disconnect() }

    func disconnect() {
        if fd >= 0 { close(fd); fd = -1 }
        start = 0; end = 0
    }

    /// Sends a request; a failure to connect is `failed` (nothing was sent).
    func send(_ bytes: [UInt8]) throws {
        if fd < 0 {
            do { fd = try TCPSocket.connect(from: host, to: address, port: port, timeoutSeconds: timeoutSeconds) } catch {
                throw RequestError.failed("\(error)")
            }
        }
        if !TCPSocket.writeAll(fd, bytes) {
            disconnect()
            throw RequestError.indeterminate("send to \(address):\(port) failed")
        }
    }

    private func fill() throws {
        if start == end { start = 0; end = 0 }
        if end == buffer.count {
            if start > 0 {
                buffer.withUnsafeMutableBytes { p in _ = memmove(p.baseAddress!, p.baseAddress! + start, end - start) }
                end -= start; start = 0
            } else {
                buffer.append(contentsOf: repeatElement(0, count: buffer.count))
            }
        }
        let n = buffer.withUnsafeMutableBytes { p in recv(fd, p.baseAddress! + end, p.count - end, 0) }
        if n <= 0 {
            let timedOut = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
            disconnect()
            throw RequestError.indeterminate(timedOut ? "no reply from \(address):\(port) within \(timeoutSeconds) s" : "connection to \(address):\(port) closed")
        }
        end += n
    }

    /// The next line without its CRLF.
    func readLine() throws -> [UInt8] {
        var scanned = start
        while true {
            while scanned + 1 < end {
                if buffer[scanned] == 13 && buffer[scanned + 1] == 10 {
                    let line = Array(buffer[start..<scanned])
                    start = scanned + 2
                    return line
                }
                scanned += 1
            }
            let offset = scanned - start
            try fill()
            scanned = start + offset
        }
    }

    /// Exactly `count` bytes.
    func read(_ count: Int) throws -> [UInt8] {
        while end - start < count { try fill() }
        let bytes = Array(buffer[start..<(start + count)])
        start += count
        return bytes
    }
}
