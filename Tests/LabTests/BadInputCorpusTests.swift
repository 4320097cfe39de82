import Foundation
import Testing

/// Issue 19: the committed corpus of bad inputs (Tests/Fixtures/bad-inputs),
/// each run through the built `caplab` as a user would: the exit status
/// must be the one its MANIFEST line states and stderr must hold every
/// expected word — never a crash (a signal), never a silent exit 0.
@Suite struct BadInputCorpusTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/bad-inputs")

    struct Case: CustomStringConvertible {
        let status: Int32
        let words: [String]
        let arguments: [String]
        var description: String { arguments.joined(separator: " ") }
    }

    static func cases() throws -> [Case] {
        let text = try String(contentsOf: directory.appendingPathComponent("MANIFEST"), encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { line in
            let fields = line.components(separatedBy: " | ")
            guard fields.count == 3, let status = Int32(fields[0]) else { throw CocoaError(.fileReadCorruptFile) }
            return Case(status: status, words: fields[1].components(separatedBy: ";"),
                        arguments: fields[2].split(separator: " ").map { $0.replacingOccurrences(of: "{}", with: directory.path) })
        }
    }

    @Test func everyBadInputFailsClearly() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 20)
        for c in cases {
            let r = try CLITests.caplab(c.arguments)
            #expect(r.status == c.status, "\(c): exit \(r.status), stderr: \(r.stderr)")
            for word in c.words { #expect(r.stderr.contains(word), "\(c): '\(word)' not in: \(r.stderr)") }
            #expect(r.stderr.count < 2_000, "\(c): the message echoes too much")
        }
    }
}
