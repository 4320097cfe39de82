import Foundation
import Testing
@testable import Experiments
@testable import Lab

/// The `caplab` executable's error paths, run as a user would run it.
@Suite struct CLITests {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The built `caplab` sits beside the test bundle in the build directory.
    static var binary: URL {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = me.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("caplab").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("caplab")
    }

    static func caplab(_ arguments: [String], in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    @Test func listShowsEveryExperiment() throws {
        let r = try Self.caplab(["list"])
        #expect(r.status == 0)
        for name in Registry.all.names { #expect(r.stdout.contains(name)) }
    }

    @Test func unknownExperimentExitsNonZeroAndNamesIt() throws {
        let dir = try TemporaryDirectory()
        let r = try Self.caplab(["run", "no-such-experiment", "--out", dir.url.path])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("Error: unknown experiment 'no-such-experiment'; known experiments: ring-lookup, "))
        #expect(r.stderr.contains("(see `caplab list`)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).isEmpty)
    }

    @Test func badFlagExitsNonZeroWithUsage() throws {
        let r = try Self.caplab(["run", "--bogus"])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("Error: Unknown option '--bogus'."))
        #expect(r.stderr.contains("Usage: caplab run [<names> ...] [--quick] [--full] [--seed <seed>] [--out <out>]"))
        let seed = try Self.caplab(["run", "--seed", "minus-one"])
        #expect(seed.status == 64)
        #expect(seed.stderr.hasPrefix("Error: The value 'minus-one' is invalid for '--seed <seed>'"))
    }

    @Test func unwritableOutputDirectoryExitsNonZero() throws {
        let dir = try TemporaryDirectory()
        let file = dir.url.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        let r = try Self.caplab(["run", "ring-lookup", "--quick", "--out", file.path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("cannot write results to '\(file.path)'"))
        #expect(!FileManager.default.fileExists(atPath: file.appendingPathComponent("ring-lookup.csv").path))
    }

    @Test func plotWithoutResultsOrScriptsIsAClearError() throws {
        let dir = try TemporaryDirectory()
        let r = try Self.caplab(["plot", "ring-lookup", "--results", dir.url.path, "--scripts", dir.url.path])
        #expect(r.status == 74)
        #expect(r.stderr == "caplab: error: no plot script at '\(dir.url.appendingPathComponent("ring-lookup.gp").path)'\n")
        let all = try Self.caplab(["plot", "--results", dir.url.path, "--scripts", dir.url.path])
        #expect(all.status == 74)
        #expect(all.stderr == "caplab: error: no results in '\(dir.url.path)' to plot; run `caplab run` first\n")
    }
}
