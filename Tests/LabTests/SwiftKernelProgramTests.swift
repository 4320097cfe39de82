import Foundation
import Testing
@testable import Lab

/// A Swift program that becomes a kernel program through the `GateKernel`
/// library (its source compiled in with the program by `swiftc`, which is
/// what depending on the product amounts to), gated like the C one.
@Suite(.serialized) struct SwiftKernelProgramTests {
    static func main(mixSteps: Int) -> String {
        """
        // Steps come from the command line's length so the optimiser cannot fold the loop away.
        let extra = CommandLine.arguments.count > 99 ? 1 : 0
        let mixSteps = \(mixSteps) + extra, sumSteps = 100 + extra

        GateKernel.main([
            GateKernel("sum") { k in
                var s = 0
                for i in 0..<k { for j in 0..<sumSteps { s &+= i ^ j } }
                return s
            },
            GateKernel("mix") { k in
                var x: UInt64 = 1
                for _ in 0..<k { for _ in 0..<mixSteps { x = x &* 6364136223846793005 &+ 1442695040888963407 } }
                return Int(truncatingIfNeeded: x)
            },
        ])

        """
    }

    /// `Sources/GateKernel/GateKernel.swift`, found from this file's place in the repository.
    static var library: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/GateKernel/GateKernel.swift")
    }

    static func build(mixSteps: Int, in directory: URL) throws -> String {
        let main = directory.appendingPathComponent("main.swift")
        try Self.main(mixSteps: mixSteps).write(to: main, atomically: true, encoding: .utf8)
        let binary = directory.appendingPathComponent("swift-kernels").path
        let swiftc = try #require(Executables.find("swiftc"), "swiftc is needed")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: swiftc)
        process.arguments = ["-O", "-module-name", "SwiftKernels", "-o", binary, library.path, main.path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "swiftc failed")
        return binary
    }

    @Test func theGateNamesTheSwiftKernelThatDoesTenPercentMoreWork() throws {
        try #require(Executables.find("valgrind") != nil, "the gate counts with callgrind: install valgrind (`make deps`)")
        let dir = try TemporaryDirectory()
        let baseline = dir.url.appendingPathComponent("baseline.csv").path
        var program = try Self.build(mixSteps: 100, in: dir.url)
        let common = ["--program", program, "--baseline", baseline, "--counter", "callgrind"]
        let made = try CLITests.caplab(["gate", "baseline"] + common)
        #expect(made.status == 0, "\(made.stderr)")

        program = try Self.build(mixSteps: 110, in: dir.url)
        let slower = try CLITests.caplab(["gate", "check", "--format", "json"] + common)
        #expect(slower.status == 1, "\(slower.stdout)\(slower.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(slower.stdout.utf8)) as? [String: Any])
        let cases = try #require(document["cases"] as? [[String: Any]])
        #expect(cases.compactMap { $0["name"] as? String } == ["mix", "sum"])
        #expect(cases.compactMap { $0["outcome"] as? String } == ["regression", "pass"])
    }
}
