import Foundation
import Testing

/// Runs every `testdata/raft/*.txt` script through ``RaftScript`` and
/// compares each command's output with the expected block, exactly.
/// `RAFT_REWRITE=1` rewrites the files with the actual output (then review the diff).
@Suite struct RaftScriptTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("testdata/raft")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
    }

    @Test func scriptsExist() { #expect(Self.files.count >= 5) }

    @Test(arguments: files)
    func script(_ name: String) throws {
        let path = Self.directory.appendingPathComponent(name).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        var script = RaftScript()
        var rewritten: [String] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.isEmpty || line.hasPrefix("#") {
                rewritten.append(line)
                i += 1
                continue
            }
            guard i + 1 < lines.count, lines[i + 1] == "----" else {
                Issue.record("\(name):\(i + 1): expected '----' after '\(line)'")
                return
            }
            var expected: [String] = []
            var j = i + 2
            while j < lines.count && !lines[j].isEmpty { expected.append(lines[j]); j += 1 }
            let actual = try script.run(line)
            #expect(actual == expected.joined(separator: "\n"), "\(name):\(i + 1): \(line)")
            rewritten.append(line)
            rewritten.append("----")
            if !actual.isEmpty { rewritten.append(actual) }
            i = j
        }
        if ProcessInfo.processInfo.environment["RAFT_REWRITE"] == "1" {
            try (rewritten.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}
