import Crypto
import Foundation

/// Ketama, the consistent-hash ring of last.fm's libketama as libmemcached
/// builds it with `MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED` (libmemcached
/// `update_continuum`, hosts.cc): a drop-in for a system that shards
/// memcached keys with libmemcached — the same key goes to the same server.
///
/// Server i of n with weight w_i gets `⌊(w_i/Σw)·160/4·n + 10⁻¹⁰⌋·4` points
/// (computed in single precision, as libmemcached does). Point name j is
/// `"host-j"` for the default port 11211 and `"host:port-j"` otherwise; each
/// MD5 digest of a name gives four points, its bytes 4a…4a+3 read
/// little-endian for a = 0…3. A key's hash is the first four bytes of
/// MD5(key), little-endian; it goes to the first point ≥ the hash, wrapping
/// to the first point. Ties between equal points go to the server added
/// first here (libmemcached's `qsort` leaves their order unspecified; no
/// tie occurs in the fixture).
///
/// Because the point count is computed in single precision, equal-weight
/// servers do not always get 160 points (100 servers get 156 each, 99 get
/// 160), so removing one server can move keys between the others; this
/// is libmemcached's behaviour, reproduced on purpose.
///
/// ``node(forKeyHash:)`` takes the low 32 bits of the given hash as the
/// ketama hash, so the lab can feed it the same xxHash64 stream as every
/// other variant; ``node(forKey:)`` is the libmemcached-compatible entry.
///
/// - Complexity: lookup O(log(160·n)) after the key's MD5, no allocation;
///   build O(40·n) MD5 digests plus a sort; memory 8·160·n bytes.
public struct Ketama: ConsistentHash {
    public static var algorithm: String { "ketama" }

    /// libmemcached's `MEMCACHED_POINTS_PER_SERVER_KETAMA`.
    public static let pointsPerServer = 160
    /// libmemcached's `MEMCACHED_DEFAULT_PORT`, whose point names omit the port.
    public static let defaultPort = 11211

    /// A memcached server as libmemcached knows it.
    public struct Server: Sendable, Hashable {
        public let host: String
        public let port: Int
        public let weight: Int

        public init(host: String, port: Int = Ketama.defaultPort, weight: Int = 1) {
            self.host = host
            self.port = port
            self.weight = weight
        }

        /// `host:port`, as libmemcached prints a server.
        public var name: String { "\(host):\(port)" }
    }

    public let servers: [Server]
    @usableFromInline let points: ContiguousArray<UInt32>
    @usableFromInline let owners: ContiguousArray<UInt32>

    /// - Precondition: at least one server, all weights ≥ 1.
    public init(servers: [Server]) {
        precondition(!servers.isEmpty, "ketama needs at least one server")
        precondition(servers.allSatisfy { $0.weight >= 1 }, "ketama weights must be ≥ 1")
        self.servers = servers
        let totalWeight = servers.reduce(0) { $0 + $1.weight }
        var placed: [(point: UInt32, owner: UInt32)] = []
        placed.reserveCapacity(servers.count * Ketama.pointsPerServer)
        for (ordinal, server) in servers.enumerated() {
            // Single precision, as in libmemcached: ((pct · 160) / 4) · live servers.
            let pct = Float(server.weight) / Float(totalWeight)
            let perHash = pct * Float(Ketama.pointsPerServer) / 4 * Float(servers.count)
            let pointCount = Int((Double(perHash) + 0.0000000001).rounded(.down)) * 4
            for index in 0..<(pointCount / 4) {
                let name = server.port == Ketama.defaultPort
                    ? "\(server.host)-\(index)" : "\(server.host):\(server.port)-\(index)"
                let digest = Array(Insecure.MD5.hash(data: Array(name.utf8)))
                for alignment in 0..<4 {
                    placed.append((Ketama.littleEndian(digest, at: alignment * 4), UInt32(ordinal)))
                }
            }
        }
        // Stable order for equal points: the earlier server first.
        placed.sort { $0.point != $1.point ? $0.point < $1.point : $0.owner < $1.owner }
        points = ContiguousArray(placed.map(\.point))
        owners = ContiguousArray(placed.map(\.owner))
    }

    public var nodeCount: Int { servers.count }

    /// Number of points on the continuum.
    public var pointCount: Int { points.count }

    /// Bytes the lookup structures occupy.
    public var memoryBytes: Int { points.count * 8 }

    /// libmemcached's MD5 key hash: the digest's first four bytes, little-endian.
    public static func hash(key: some Collection<UInt8>) -> UInt32 {
        littleEndian(Array(Insecure.MD5.hash(data: Array(key))), at: 0)
    }

    static func littleEndian(_ digest: [UInt8], at offset: Int) -> UInt32 {
        UInt32(digest[offset]) | UInt32(digest[offset + 1]) << 8
            | UInt32(digest[offset + 2]) << 16 | UInt32(digest[offset + 3]) << 24
    }

    /// libmemcached's MD5 key hash of raw bytes, without allocating.
    @inlinable
    public static func hash(keyBytes: UnsafeRawBufferPointer) -> UInt32 {
        var md5 = Insecure.MD5()
        md5.update(bufferPointer: keyBytes)
        return md5.finalize().withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
    }

    /// The server ordinal libmemcached picks for `key`.
    public func node(forKey key: String) -> Int {
        var key = key
        return key.withUTF8 { node(forKetamaHash: Ketama.hash(keyBytes: UnsafeRawBufferPointer($0))) }
    }

    /// The server ordinal libmemcached picks for a key given as bytes (MD5 + search, no allocation).
    @inlinable
    public func node(forKeyBytes key: UnsafeRawBufferPointer) -> Int {
        node(forKetamaHash: Ketama.hash(keyBytes: key))
    }

    @inlinable
    public func node(forKeyHash keyHash: UInt64) -> Int {
        node(forKetamaHash: UInt32(truncatingIfNeeded: keyHash))
    }

    /// The owner of the first point ≥ `hash`, wrapping to the first point.
    @inlinable
    public func node(forKetamaHash hash: UInt32) -> Int {
        let index = points.withUnsafeBufferPointer { TokenRing.firstIndex(atOrAfter: hash, in: $0) }
        return owners.withUnsafeBufferPointer { Int($0[index]) }
    }
}
