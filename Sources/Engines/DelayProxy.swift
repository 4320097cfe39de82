import Foundation
import Stats
#if canImport(Glibc)
import Glibc
#endif

/// A user-space TCP proxy that delays each direction of every connection
/// (these kernels have no `netem`). Per connection and direction a reader
/// thread reads a chunk, draws its delay from the direction's distribution
/// and queues it with deadline max(now + delay, previous deadline), so bytes
/// stay in order; a writer thread writes each chunk at its deadline. With no
/// delay and nothing queued the reader writes the chunk itself (one extra
/// hop, no thread hand-off).
///
/// Controllable while it runs: ``setDelay(_:direction:)``, ``block()``
/// (chunks are held, as TCP would keep retransmitting them across a cut
/// link) and ``unblock()``.
///
/// - Complexity: O(1) per chunk; two threads per connection and direction.
public final class DelayProxy: @unchecked Sendable {
    public enum Direction: Sendable, CaseIterable {
        /// From the connecting side to the upstream.
        case forward
        /// From the upstream back to the connecting side.
        case backward
    }

    public let listenHost: MemberHost?
    public let listenAddress: String
    public let upstreamHost: MemberHost?
    public let upstreamAddress: String
    public let upstreamPort: Int
    public private(set) var port = 0

    let state = NSCondition()
    var delays: [Direction: LatencyDistribution] = [:]
    var rng: Xoshiro256StarStar
    var blocked = false
    var stopped = false
    var listener: Int32 = -1
    var connections: [ProxyConnection] = []
    var chunksForwarded = 0

    /// A proxy listening on `listenAddress:listenPort` in `listenHost`'s namespace (port 0: any
    /// free port), forwarding to `upstreamAddress:upstreamPort` from a socket in `upstreamHost`'s.
    public init(listenHost: MemberHost?, listenAddress: String, listenPort: Int = 0,
                upstreamHost: MemberHost?, upstreamAddress: String, upstreamPort: Int, seed: UInt64 = 1) throws {
        self.listenHost = listenHost
        self.listenAddress = listenAddress
        self.upstreamHost = upstreamHost
        self.upstreamAddress = upstreamAddress
        self.upstreamPort = upstreamPort
        rng = Xoshiro256StarStar(seed: seed)
        let (fd, bound) = try TCPSocket.listen(on: listenHost, address: listenAddress, port: listenPort)
        listener = fd
        port = bound
        Teardown.shared.onTeardown("proxy :\(bound)") { [weak self] in self?.stop() }
        let thread = Thread { [self] in acceptLoop() }
        thread.stackSize = 256 << 10
        thread.start()
    }

    /// One-way delay of a direction (nil or constant 0: none), both directions when `direction` is nil.
    public func setDelay(_ delay: LatencyDistribution?, direction: Direction? = nil) {
        state.withLock {
            for d in direction.map({ [$0] }) ?? Direction.allCases { delays[d] = delay }
        }
    }

    /// A constant one-way delay in milliseconds, both directions.
    public func setDelay(milliseconds: Double) {
        setDelay(milliseconds > 0 ? LatencyDistribution(.constant(milliseconds)) : nil)
    }

    /// Holds every chunk until ``unblock()`` (the link is cut; connections stay open).
    public func block() { state.withLock { blocked = true } }

    public func unblock() {
        state.withLock { blocked = false }
        let conns = state.withLock { connections }
        for c in conns { c.wake() }
    }

    /// Closes the listener and every connection; its threads exit.
    public func stop() {
        let conns: [ProxyConnection] = state.withLock {
            if stopped { return [] }
            stopped = true
            shutdown(listener, Int32(SHUT_RDWR))
            return connections
        }
        for c in conns { c.close() }
    }

    func delayNanoseconds(_ direction: Direction) -> UInt64 {
        state.withLock {
            guard let d = delays[direction] else { return 0 }
            return UInt64(max(0, d.sample(&rng)) * 1e6)
        }
    }

    var isBlocked: Bool { state.withLock { blocked } }

    private func acceptLoop() {
        defer { Glibc.close(listener) }
        while !state.withLock({ stopped }) {
            var p = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 200) > 0 else { continue }
            let client = accept(listener, nil, nil)
            if client < 0 { continue }
            TCPSocket.configure(client, timeoutSeconds: 0)
            guard let upstream = try? TCPSocket.connect(from: upstreamHost, to: upstreamAddress, port: upstreamPort, timeoutSeconds: 5) else {
                Glibc.close(client)
                continue
            }
            TCPSocket.configure(upstream, timeoutSeconds: 0)
            let connection = ProxyConnection(proxy: self, client: client, upstream: upstream)
            let keep: Bool = state.withLock {
                if stopped { return false }
                connections.removeAll { $0.isClosed }
                connections.append(connection)
                return true
            }
            if keep { connection.start() } else { connection.close() }
        }
    }
}

/// One proxied connection: two ordered, delayed byte pipes.
final class ProxyConnection: @unchecked Sendable {
    let proxy: DelayProxy
    let client: Int32
    let upstream: Int32
    let lock = NSCondition()
    var pipes: [DelayedPipe] = []
    var finished = 0
    private(set) var isClosed = false

    init(proxy: DelayProxy, client: Int32, upstream: Int32) {
        self.proxy = proxy
        self.client = client
        self.upstream = upstream
    }

    func start() {
        pipes = [DelayedPipe(connection: self, from: client, to: upstream, direction: .forward),
                 DelayedPipe(connection: self, from: upstream, to: client, direction: .backward)]
        for p in pipes { p.start() }
    }

    func wake() { for p in pipes { p.wake() } }

    /// Shuts both sockets down; they are closed when all four threads have ended.
    func close() {
        shutdown(client, Int32(SHUT_RDWR))
        shutdown(upstream, Int32(SHUT_RDWR))
        for p in pipes { p.finish() }
    }

    func pipeEnded() {
        let last: Bool = lock.withLock { finished += 1; return finished == 4 }
        if last {
            Glibc.close(client)
            Glibc.close(upstream)
            lock.withLock { isClosed = true }
        }
    }
}

/// One direction of a proxied connection: reader → queue ordered by deadline → writer.
final class DelayedPipe: @unchecked Sendable {
    struct Chunk { let deadline: UInt64; let bytes: [UInt8]; let endOfStream: Bool }

    let connection: ProxyConnection
    let from: Int32
    let to: Int32
    let direction: DelayProxy.Direction
    let cond = NSCondition()
    var queue: [Chunk] = []
    var head = 0
    var inFlight = 0
    var lastDeadline: UInt64 = 0
    var done = false

    init(connection: ProxyConnection, from: Int32, to: Int32, direction: DelayProxy.Direction) {
        self.connection = connection
        self.from = from
        self.to = to
        self.direction = direction
    }

    func start() {
        let reader = Thread { [self] in readLoop() }
        reader.stackSize = 256 << 10
        reader.start()
        let writer = Thread { [self] in writeLoop() }
        writer.stackSize = 256 << 10
        writer.start()
    }

    func wake() { cond.withLock { cond.broadcast() } }

    func finish() { cond.withLock { done = true; cond.broadcast() } }

    private func readLoop() {
        defer { connection.pipeEnded() }
        let proxy = connection.proxy
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(from, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            let now = monotonicNanoseconds()
            if n <= 0 {
                enqueue(Chunk(deadline: 0, bytes: [], endOfStream: true), now: now, delay: 0)
                return
            }
            let delay = proxy.delayNanoseconds(direction)
            let idle = cond.withLock { inFlight == 0 }
            if delay == 0 && idle && !proxy.isBlocked {
                // Nothing queued ahead of this chunk: forward it from this thread.
                if !buffer.withUnsafeBytes({ TCPSocket.writeAll(to, UnsafeRawBufferPointer(rebasing: $0[0..<n])) }) {
                    connection.close()
                }
                continue
            }
            enqueue(Chunk(deadline: 0, bytes: Array(buffer[0..<n]), endOfStream: false), now: now, delay: delay)
        }
    }

    private func enqueue(_ chunk: Chunk, now: UInt64, delay: UInt64) {
        cond.withLock {
            lastDeadline = max(now &+ delay, lastDeadline)
            queue.append(Chunk(deadline: lastDeadline, bytes: chunk.bytes, endOfStream: chunk.endOfStream))
            inFlight += 1
            cond.broadcast()
        }
    }

    private func writeLoop() {
        defer { connection.pipeEnded() }
        let proxy = connection.proxy
        while true {
            cond.lock()
            while head == queue.count && !done { cond.wait() }
            if head == queue.count { cond.unlock(); return }
            let chunk = queue[head]
            cond.unlock()
            // Wait for the deadline (and for the link to be unblocked): sleep, then spin the last 60 µs.
            while true {
                if cond.withLock({ done }) { return }
                let now = monotonicNanoseconds()
                let blocked = proxy.isBlocked
                if !blocked && now >= chunk.deadline { break }
                let remaining = blocked ? 5_000_000 : chunk.deadline - now
                if remaining > 100_000 {
                    cond.withLock { _ = cond.wait(until: Date(timeIntervalSinceNow: Double(remaining - 60_000) / 1e9)) }
                } else {
                    sched_yield()
                }
            }
            if chunk.endOfStream {
                shutdown(to, Int32(SHUT_WR))
                return
            }
            if !TCPSocket.writeAll(to, chunk.bytes) {
                connection.close()
                return
            }
            cond.withLock {
                head += 1
                inFlight -= 1
                if head > 1024 && head * 2 > queue.count { queue.removeFirst(head); head = 0 }
            }
        }
    }
}
