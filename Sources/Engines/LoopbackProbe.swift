import Foundation
import Stats
#if canImport(Glibc)
import Glibc
#endif

/// Measures CAPLab's own cost on loopback, in the same run as the engines:
/// the delay proxy's pass-through overhead (round trips through the proxy
/// with no delay, minus direct round trips to the same echo server) and each
/// client's overhead (a request against a server that answers with a canned
/// reply, minus a raw round trip of the same size).
public enum LoopbackProbe {
    public struct Figures: Sendable {
        public var directP50Us = 0.0, directP99Us = 0.0
        public var proxiedP50Us = 0.0, proxiedP99Us = 0.0
        public var proxyOverheadP50Us: Double { proxiedP50Us - directP50Us }
        public var proxyOverheadP99Us: Double { proxiedP99Us - directP99Us }
        public var redisP50Us = 0.0, redisP99Us = 0.0
        public var etcdP50Us = 0.0, etcdP99Us = 0.0
        public var redisOverheadP50Us: Double { redisP50Us - directP50Us }
        public var etcdOverheadP50Us: Double { etcdP50Us - directP50Us }
    }

    /// A server on 127.0.0.1 that answers every chunk it receives with `reply` (or echoes it when nil).
    public final class CannedServer: @unchecked Sendable {
        public let port: Int
        private let listener: Int32
        private let stopped = LockedBox(false)

        public init(reply: [UInt8]?, host: MemberHost? = nil) throws {
            (listener, port) = try TCPSocket.listen(on: host, address: host?.address ?? "127.0.0.1", port: 0)
            let listener = self.listener, stopped = self.stopped
            let accepting = Thread {
                while !stopped.withLock({ $0 }) {
                    var p = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
                    guard poll(&p, 1, 100) > 0 else { continue }
                    let fd = accept(listener, nil, nil)
                    if fd < 0 { continue }
                    TCPSocket.configure(fd, timeoutSeconds: 5)
                    let serving = Thread {
                        var buffer = [UInt8](repeating: 0, count: 64 << 10)
                        while true {
                            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                            if n <= 0 { break }
                            let ok = reply.map { TCPSocket.writeAll(fd, $0) } ?? buffer.withUnsafeBytes { TCPSocket.writeAll(fd, UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                            if !ok { break }
                        }
                        close(fd)
                    }
                    serving.start()
                }
                close(listener)
            }
            accepting.start()
        }

        public func stop() { stopped.withLock { $0 = true } }
    }

    /// Round trips of `size` bytes to `port` on loopback: p50 and p99 in microseconds.
    static func roundTrips(port: Int, size: Int, count: Int) throws -> (p50: Double, p99: Double) {
        let fd = try TCPSocket.connect(from: nil, to: "127.0.0.1", port: port, timeoutSeconds: 5)
        defer { close(fd) }
        let message = [UInt8](repeating: 42, count: size)
        var buffer = [UInt8](repeating: 0, count: size)
        var h = LatencyHistogram()
        for i in 0..<(count + count / 10) {
            let t0 = monotonicNanoseconds()
            guard TCPSocket.writeAll(fd, message) else { throw EngineError("echo write failed") }
            var got = 0
            while got < size {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, size - got, 0) }
                guard n > 0 else { throw EngineError("echo read failed") }
                got += n
            }
            if i >= count / 10 { h.record(nanoseconds: monotonicNanoseconds() - t0) }  // the first tenth warms up
        }
        return (Double(h.value(atPercentile: 50)) / 1e3, Double(h.value(atPercentile: 99)) / 1e3)
    }

    static func timed(_ count: Int, _ body: () throws -> Void) rethrows -> (p50: Double, p99: Double) {
        var h = LatencyHistogram()
        for i in 0..<(count + count / 10) {
            let t0 = monotonicNanoseconds()
            try body()
            if i >= count / 10 { h.record(nanoseconds: monotonicNanoseconds() - t0) }
        }
        return (Double(h.value(atPercentile: 50)) / 1e3, Double(h.value(atPercentile: 99)) / 1e3)
    }

    /// Direct and proxied round trips, and both clients against canned replies (`count` of each).
    public static func measure(count: Int = 2_000) throws -> Figures {
        var f = Figures()
        let echo = try CannedServer(reply: nil)
        defer { echo.stop() }
        let proxy = try DelayProxy(listenHost: nil, listenAddress: "127.0.0.1", upstreamHost: nil, upstreamAddress: "127.0.0.1", upstreamPort: echo.port)
        defer { proxy.stop() }
        // Interleave direct and proxied batches so both see the same machine.
        var direct: [(Double, Double)] = [], proxied: [(Double, Double)] = []
        for _ in 0..<3 {
            direct.append(try roundTrips(port: echo.port, size: 64, count: count / 3))
            proxied.append(try roundTrips(port: proxy.port, size: 64, count: count / 3))
        }
        func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
        (f.directP50Us, f.directP99Us) = (median(direct.map(\.0)), median(direct.map(\.1)))
        (f.proxiedP50Us, f.proxiedP99Us) = (median(proxied.map(\.0)), median(proxied.map(\.1)))
        let redisServer = try CannedServer(reply: Array("+OK\r\n".utf8))
        defer { redisServer.stop() }
        let redis = RedisClient(from: nil, address: "127.0.0.1", port: redisServer.port)
        (f.redisP50Us, f.redisP99Us) = try timed(count) { try redis.set(key: 1, value: 1) }
        let body = "{\"header\":{\"revision\":\"7\"}}"
        let etcdServer = try CannedServer(reply: Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8))
        defer { etcdServer.stop() }
        let etcd = EtcdClient(from: nil, address: "127.0.0.1", port: etcdServer.port)
        (f.etcdP50Us, f.etcdP99Us) = try timed(count) { _ = try etcd.put(key: 1, value: 1) }
        return f
    }

    /// Round trips through a proxy with a constant one-way delay of `milliseconds` each way:
    /// p50 and p99 in microseconds (expected 2 × delay plus the overhead).
    public static func delayedRoundTrips(milliseconds: Double, count: Int = 50) throws -> (p50: Double, p99: Double) {
        let echo = try CannedServer(reply: nil)
        defer { echo.stop() }
        let proxy = try DelayProxy(listenHost: nil, listenAddress: "127.0.0.1", upstreamHost: nil, upstreamAddress: "127.0.0.1", upstreamPort: echo.port)
        defer { proxy.stop() }
        proxy.setDelay(milliseconds: milliseconds)
        return try roundTrips(port: proxy.port, size: 64, count: count)
    }
}
