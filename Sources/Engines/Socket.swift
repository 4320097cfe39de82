import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Blocking TCP sockets (IPv4), the transport of the proxy and the clients.
/// Blocking calls on a thread per connection measured cheaper per request
/// than an event loop for the few connections a run holds (README, "Real engines").
enum TCPSocket {
    /// A connected socket to `address:port`, created in `host`'s namespace,
    /// with TCP_NODELAY and send/receive timeouts.
    static func connect(from host: MemberHost?, to address: String, port: Int, timeoutSeconds: Double) throws -> Int32 {
        let fd = try host.map { h in try HostNetwork.inNamespace(of: h) { socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0) } }
            ?? socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw EngineError("socket: \(String(cString: strerror(errno)))") }
        var addr = try socketAddress(address, port)
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        if rc != 0 && errno != EINPROGRESS {
            let e = errno; close(fd)
            throw EngineError("connect \(address):\(port): \(String(cString: strerror(e)))")
        }
        if rc != 0 {
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let n = poll(&p, 1, Int32(timeoutSeconds * 1000))
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
            if n <= 0 || err != 0 {
                close(fd)
                throw EngineError("connect \(address):\(port): \(n <= 0 ? "no answer within \(timeoutSeconds) s" : String(cString: strerror(err)))")
            }
        }
        _ = fcntl(fd, F_SETFL, flags)
        configure(fd, timeoutSeconds: timeoutSeconds)
        return fd
    }

    /// A listening socket on `address:port` in `host`'s namespace (port 0: any free port).
    static func listen(on host: MemberHost?, address: String, port: Int) throws -> (fd: Int32, port: Int) {
        let fd = try host.map { h in try HostNetwork.inNamespace(of: h) { socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0) } }
            ?? socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw EngineError("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = try socketAddress(address, port)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0, Glibc.listen(fd, 128) == 0 else {
            let e = errno; close(fd)
            throw EngineError("\(address):\(port) is not free (\(String(cString: strerror(e)))): stop whatever uses it or choose another port")
        }
        var bound = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return (fd, Int(UInt16(bigEndian: bound.sin_port)))
    }

    /// True when nothing listens on `address:port` in `host`'s namespace (checked before a server starts).
    static func isFree(on host: MemberHost?, address: String, port: Int) -> Bool {
        guard let (fd, _) = try? listen(on: host, address: address, port: port) else { return false }
        close(fd)
        return true
    }

    static func configure(_ fd: Int32, timeoutSeconds: Double) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var tv = timeval(tv_sec: Int(timeoutSeconds), tv_usec: Int((timeoutSeconds - Double(Int(timeoutSeconds))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    static func socketAddress(_ address: String, _ port: Int) throws -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        guard inet_pton(AF_INET, address, &addr.sin_addr) == 1 else { throw EngineError("not an IPv4 address: \(address)") }
        return addr
    }

    /// Writes every byte; false on error or timeout.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }
}
