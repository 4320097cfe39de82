import Foundation
import Testing
@testable import HashRing

@Suite struct KetamaTests {
    /// The fixture written by `Fixtures/ketama-libmemcached.c` with libmemcached
    /// itself: `# server host:port weight` lines, then `key,server` rows.
    static func fixture() throws -> (servers: [Ketama.Server], rows: [(key: String, server: String)]) {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/ketama-libmemcached.csv")
        let text = try String(contentsOf: url, encoding: .utf8)
        var servers: [Ketama.Server] = []
        var rows: [(String, String)] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# server ") {
                let fields = line.dropFirst("# server ".count).split(separator: " ")
                let hostPort = fields[0].split(separator: ":")
                servers.append(Ketama.Server(host: String(hostPort[0]), port: Int(hostPort[1])!, weight: Int(fields[1])!))
            } else if !line.hasPrefix("#") && line != "key,server" {
                let parts = line.split(separator: ",")
                rows.append((String(parts[0]), String(parts[1])))
            }
        }
        return (servers, rows)
    }

    @Test func matchesLibmemcachedOnTheFixture() throws {
        let (servers, rows) = try Self.fixture()
        #expect(servers.count == 8)
        #expect(rows.count >= 1_000)
        let ketama = Ketama(servers: servers)
        var mismatches = 0
        for (key, server) in rows where servers[ketama.node(forKey: key)].name != server { mismatches += 1 }
        #expect(mismatches == 0, "\(mismatches) of \(rows.count) keys differ from libmemcached")
    }

    /// 160 points per server for equal weights; weights scale the point count.
    @Test func pointCountsFollowWeights() {
        let equal = Ketama(servers: (0..<5).map { Ketama.Server(host: "s\($0)") })
        #expect(equal.pointCount == 5 * 160)
        let weighted = Ketama(servers: [Ketama.Server(host: "a", weight: 1), Ketama.Server(host: "b", weight: 3)])
        #expect(weighted.pointCount == 80 + 240)
    }

    /// MD5("") = d41d8cd98f00b204e9800998ecf8427e (RFC 1321): first four bytes little-endian.
    @Test func keyHashIsTheFirstFourBytesOfMD5LittleEndian() {
        #expect(Ketama.hash(key: [UInt8]()) == 0xD98C_1DD4)
    }
}
