import Foundation
import Testing
@testable import Lab
@testable import Tools

/// `caplab ring map` / `move`: server-file parsing errors name the line, and
/// ketama's map is libmemcached's.
@Suite struct RingToolTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("HashRingTests/Fixtures/ketama-libmemcached.csv")

    @Test func parsesServersWeightsAndComments() throws {
        let servers = try RingTool.parseServers("""
            # cache tier
            10.0.0.1:11211 2   # heavier box

            cache-b:11212
            [::1]:11213 1
            """, file: "s.txt")
        #expect(servers.map(\.name) == ["10.0.0.1:11211", "cache-b:11212", "::1:11213"])
        #expect(servers.map(\.weight) == [2, 1, 1])
        #expect(servers.map(\.line) == [2, 4, 5])
    }

    @Test(arguments: [
        ("a:1\nhost-without-port\n", "s.txt:2: server 'host-without-port' has no port"),
        ("a:1 -3\n", "s.txt:1: server 'a:1' has weight '-3'; expected a positive integer"),
        ("a:1\n# note\na:1 2\n", "s.txt:3: duplicate server 'a:1' (first listed on line 1)"),
        ("# nothing here\n\n", "s.txt: no servers"),
        ("a:99999\n", "s.txt:1: server 'a:99999' has port '99999'"),
        ("a:1 2 3\n", "s.txt:1: expected `host:port [weight]`, found 3 fields"),
    ])
    func badServerFilesNameTheLine(_ text: String, _ message: String) {
        #expect {
            try RingTool.parseServers(text, file: "s.txt")
        } throws: { error in
            (error as? RingTool.InputError)?.description.hasPrefix(message) == true
        }
    }

    @Test func movementAgainstIdeal() throws {
        let before = try RingTool.parseServers((0..<10).map { "n\($0):1" }.joined(separator: "\n"), file: "b")
        var after = before
        after.remove(at: 3)
        let keys = RingTool.sampleKeys(count: 20_000, seed: 1)
        for algorithm in ["ketama", "rendezvous", "anchor", "multi-probe", "token-ring"] {
            let m = try RingTool.movement(algorithm: algorithm, before: before, after: after, keys: keys)
            #expect(abs(m.idealFraction - 0.1) < 1e-9)
            // Removing one of ten servers moves its share and (for these) nothing else.
            #expect(abs(m.movedFraction - 0.1) < 0.03, "\(algorithm): \(m.movedFraction)")
        }
        let same = try RingTool.movement(algorithm: "jump", before: before, after: before, keys: keys)
        #expect(same.moved == 0 && abs(same.idealFraction) < 1e-12)
    }

    /// Replacing a server (A B C → A B D) moves C's third of the keys plus what D takes from
    /// A and B: 5/9 for rebuilt rings and rendezvous, 1/2 for AnchorHash changed in place
    /// (D added first takes 1/4, then C's keys spread). Never 0: AnchorHash must not bring C back.
    @Test func replacingAServerMovesOnlyItsKeys() throws {
        let before = try RingTool.parseServers("a:1\nb:1\nc:1", file: "b")
        let after = try RingTool.parseServers("a:1\nb:1\nd:1", file: "a")
        let keys = RingTool.sampleKeys(count: 30_000, seed: 2)
        for algorithm in ["anchor", "rendezvous"] {
            let m = try RingTool.movement(algorithm: algorithm, before: before, after: after, keys: keys)
            let expected = algorithm == "anchor" ? 0.5 : 5.0 / 9
            #expect(abs(m.movedFraction - expected) < 0.06, "\(algorithm): \(m.movedFraction)")
        }
    }

    /// `caplab ring map --algorithm ketama` prints libmemcached's own mapping.
    @Test func ketamaMapEqualsLibmemcachedFixture() throws {
        let text = try String(contentsOf: Self.fixture, encoding: .utf8)
        let lines = text.split(separator: "\n")
        let servers = lines.filter { $0.hasPrefix("# server ") }.map { $0.dropFirst("# server ".count) }.joined(separator: "\n")
        let expected = lines.filter { !$0.hasPrefix("#") && $0 != "key,server" }
        let dir = try TemporaryDirectory()
        let serverFile = dir.url.appendingPathComponent("servers.txt")
        let keyFile = dir.url.appendingPathComponent("keys.txt")
        try servers.write(to: serverFile, atomically: true, encoding: .utf8)
        try expected.map { $0.split(separator: ",")[0] }.joined(separator: "\n").write(to: keyFile, atomically: true, encoding: .utf8)
        let r = try CLITests.caplab(["ring", "map", "--algorithm", "ketama", "--servers", serverFile.path, "--keys", keyFile.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.split(separator: "\n") == expected)
    }

    @Test func badServerFileExitsNonZeroNamingTheLine() throws {
        let dir = try TemporaryDirectory()
        let file = dir.url.appendingPathComponent("bad.txt")
        try "a:11211\nb:11211 -1\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try CLITests.caplab(["ring", "move", "--algorithm", "ketama", "--before", file.path, "--after", file.path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("bad.txt:2: server 'b:11211' has weight '-1'"))
        let unknown = try CLITests.caplab(["ring", "map", "--algorithm", "nope", "--servers", file.path])
        #expect(unknown.status != 0)
    }
}
