import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Gate
@testable import Lab

/// `caplab gate --program` on a program written in C, compiled here: the
/// kernel protocol is language-neutral, and the gate names the kernel that
/// got slower, with the documented exit statuses and formats.
@Suite(.serialized) struct ExternalGateTests {
    /// Two kernels; `mix` runs `mixSteps` LCG steps per iteration (100 at first, 110 = +10 % work later).
    static func source(mixSteps: Int) -> String {
        """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>

        static volatile int sum_steps = 100, mix_steps = \(mixSteps);

        static unsigned long sum(long k) {
            unsigned long s = 0;
            for (long i = 0; i < k; i++) for (int j = 0; j < sum_steps; j++) s += (unsigned long)(i ^ j);
            return s;
        }

        static unsigned long mix(long k) {
            unsigned long x = 1;
            for (long i = 0; i < k; i++) for (int j = 0; j < mix_steps; j++) x = x * 6364136223846793005UL + 1442695040888963407UL;
            return x;
        }

        int main(int argc, char **argv) {
            if (argc == 2 && strcmp(argv[1], "--list-kernels") == 0) { puts("sum"); puts("mix"); return 0; }
            if (argc == 5 && strcmp(argv[1], "--kernel") == 0 && strcmp(argv[3], "--iterations") == 0) {
                long k = atol(argv[4]);
                if (strcmp(argv[2], "sum") == 0) { printf("%lu\\n", sum(k)); return 0; }
                if (strcmp(argv[2], "mix") == 0) { printf("%lu\\n", mix(k)); return 0; }
            }
            fprintf(stderr, "usage: --list-kernels | --kernel sum|mix --iterations K\\n");
            return 64;
        }

        """
    }

    /// Compiles the C program into `directory/kernels` (replacing an earlier build).
    static func build(mixSteps: Int, in directory: URL) throws -> String {
        let file = directory.appendingPathComponent("kernels.c")
        try source(mixSteps: mixSteps).write(to: file, atomically: true, encoding: .utf8)
        let binary = directory.appendingPathComponent("kernels").path
        let cc = try #require(Executables.find("cc"), "a C compiler (cc) is needed")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cc)
        process.arguments = ["-O1", "-o", binary, file.path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "cc failed")
        return binary
    }

    @Test func theGateFailsNamingTheKernelThatDoesTenPercentMoreWork() throws {
        try #require(Executables.find("valgrind") != nil, "the gate counts with callgrind: install valgrind (`make deps`)")
        let dir = try TemporaryDirectory()
        let baseline = dir.url.appendingPathComponent("baseline.csv").path
        let history = dir.url.appendingPathComponent("history.csv").path
        var program = try Self.build(mixSteps: 100, in: dir.url)
        let common = ["--program", program, "--baseline", baseline, "--history", history, "--counter", "callgrind"]

        let made = try CLITests.caplab(["gate", "baseline", "--repeat", "2"] + common)
        #expect(made.status == 0, "\(made.stderr)")
        let file = try InstructionBaseline.read(URL(fileURLWithPath: baseline))
        #expect(file.rows.map(\.kernel) == ["mix", "sum"])
        #expect(file.rows.allSatisfy { $0.repeats == 2 && $0.counter == .callgrind && $0.spreadPercent < 0.01 })

        let same = try CLITests.caplab(["gate", "check"] + common)
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")

        program = try Self.build(mixSteps: 110, in: dir.url)
        let slower = try CLITests.caplab(["gate", "check", "--format", "junit"] + common)
        #expect(slower.status == 1)
        #expect(slower.stderr.contains("gate regression: mix"))
        let junit = try JUnit(slower.stdout)
        #expect(junit.cases == ["mix", "sum"])
        #expect(junit.failed == ["mix"])

        let json = try CLITests.caplab(["gate", "check", "--format", "json", "--kernel", "mix"] + common)
        #expect(json.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let cases = try #require(document["cases"] as? [[String: Any]])
        #expect(document["status"] as? Int == 1)
        #expect(cases.map { $0["name"] as? String } == ["mix"])
        let change = try #require((cases[0]["values"] as? [String: String])?["change"])
        #expect(change.hasPrefix("+9.") || change.hasPrefix("+10."), "mix should do about 10 % more work: \(change)")

        program = try Self.build(mixSteps: 90, in: dir.url)
        let faster = try CLITests.caplab(["gate", "check", "--kernel", "mix", "--fail-on-improvement"] + common)
        #expect(faster.status == 2)
        #expect(try CLITests.caplab(["gate", "check", "--kernel", "mix"] + common).status == 0)

        let trend = try CLITests.caplab(["gate", "history", "--history", history])
        #expect(trend.status == 0)
        // One baseline and five checks, one line per run.
        #expect(trend.stdout.split(separator: "\n").count == 2 + 6)
        #expect(trend.stdout.contains("baseline") && trend.stdout.contains("check"))
    }

    @Test func missingBaselineUnknownKernelAndBadFilesHaveTheirOwnStatus() throws {
        let dir = try TemporaryDirectory()
        let program = try Self.build(mixSteps: 100, in: dir.url)
        let missing = try CLITests.caplab(["gate", "check", "--program", program, "--baseline", dir.url.appendingPathComponent("none.csv").path])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("no baseline"))

        let bad = dir.url.appendingPathComponent("bad.csv")
        try "kernel,instructions_per_op\nsum,lots\n".write(to: bad, atomically: true, encoding: .utf8)
        let badInput = try CLITests.caplab(["gate", "check", "--program", program, "--baseline", bad.path])
        #expect(badInput.status == 65)
        #expect(badInput.stderr.contains("bad.csv:2: instructions_per_op 'lots'"))

        try "kernel,instructions_per_op\nsum,1\n".write(to: bad, atomically: true, encoding: .utf8)
        let unknown = try CLITests.caplab(["gate", "check", "--program", program, "--baseline", bad.path, "--kernel", "nope"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("unknown kernel 'nope'"))

        #expect(try CLITests.caplab(["gate", "check", "--jobs", "0"]).status == 64)
    }

    @Test func caplabSpeaksTheKernelProtocol() throws {
        let list = try CLITests.caplab(["--list-kernels"])
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == Kernels.all.count)
        #expect(lines.contains("consistency/check-3k-op-history 2 12"))
        let run = try CLITests.caplab(["--kernel", "hash/xxh64-u64", "--iterations", "10"])
        #expect(run.status == 0)
        #expect(run.stdout == "\(Kernels.named("hash/xxh64-u64")!.run(10))\n")
        #expect(try CLITests.caplab(["--kernel", "no/such", "--iterations", "1"]).status == 64)
    }
}

/// The test cases of a JUnit XML report, parsed with Foundation's XMLParser
/// (so a malformed document fails the test).
final class JUnit: NSObject, XMLParserDelegate {
    private(set) var cases: [String] = []
    private(set) var failed: [String] = []

    init(_ text: String) throws {
        super.init()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = self
        guard parser.parse() else { throw LabError.badInput(file: "junit", line: parser.lineNumber, problem: "not well-formed XML") }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "testcase", let test = attributes["name"] { cases.append(test) }
        if name == "failure", let last = cases.last { failed.append(last) }
    }
}
