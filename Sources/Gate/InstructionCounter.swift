import Foundation
import Lab

/// Counts the instructions a kernel executes per operation, with
/// `valgrind --tool=callgrind` or, where the CPU exposes hardware counters,
/// `perf stat -e instructions:u` (about 50 times faster).
///
/// Each kernel runs twice, at a low and a high iteration count, in a fresh
/// process; instructions per operation are `(I_high − I_low) / (K_high − K_low)`,
/// so process start-up, the runtime's initialisation and the kernel's
/// setup cancel out. Callgrind's counts do not depend on what else the
/// machine is doing (see MEASUREMENT.md); perf's move by a few hundred
/// instructions per process (interrupts), which the difference divides by
/// `K_high − K_low`. Swift's per-process hash seeding is switched off
/// (`SWIFT_DETERMINISTIC_HASHING=1`) so `Dictionary`/`Set` iteration order,
/// and with it the count, is the same every run.
public struct InstructionCounter: Sendable {
    public enum Tool: String, Sendable, CaseIterable {
        case callgrind, perf
    }

    public let program: KernelProgram
    public let tool: Tool
    /// The executable actually run (callgrind: a copy without debug sections).
    let executable: String
    let launcher: String

    /// Prepares to count kernels of `program` with `tool`. Valgrind 3.19
    /// cannot read the DWARF 5 debug information clang emits, so under
    /// callgrind kernels run from a copy with the debug sections stripped
    /// (`strip --strip-debug`), beside the original so relative resource
    /// lookups still work. Instructions executed are the same.
    public init(program: KernelProgram, tool: Tool) throws {
        self.program = program
        self.tool = tool
        switch tool {
        case .perf:
            guard let perf = Executables.find("perf") else {
                throw LabError.toolMissing(tool: "perf", install: "apt-get install linux-perf, or count with --counter callgrind")
            }
            launcher = perf
            executable = program.path
        case .callgrind:
            guard let valgrind = Executables.find("valgrind") else {
                throw LabError.toolMissing(tool: "valgrind", install: "apt-get install valgrind (or `make deps`)")
            }
            launcher = valgrind
            executable = try Self.strippedCopy(of: program.path)
        }
    }

    /// The tool to use when none is asked for: perf when `perf stat -e
    /// instructions:u true` reads a count on this machine, callgrind otherwise.
    public static func preferredTool() -> Tool {
        PerfProbe.hardwareInstructionsCounted() ? .perf : .callgrind
    }

    static func strippedCopy(of path: String) throws -> String {
        guard let strip = Executables.find("strip") else {
            throw LabError.toolMissing(tool: "strip", install: "apt-get install binutils (or `make deps`)")
        }
        let stripped = path + ".callgrind"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: strip)
        process.arguments = ["--strip-debug", "-o", stripped, path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw LabError.outputNotWritable(path: stripped, reason: "strip --strip-debug failed (exit \(process.terminationStatus))")
        }
        return stripped
    }

    /// Instructions per operation of one listed kernel.
    public func instructionsPerOperation(_ kernel: KernelProgram.Listed) throws -> Double {
        let low = try instructions(kernel.name, iterations: kernel.iterations.low)
        let high = try instructions(kernel.name, iterations: kernel.iterations.high)
        let perOperation = Double(Int64(high) - Int64(low)) / Double(kernel.iterations.high - kernel.iterations.low)
        // Less than one instruction per iteration: the count is start-up noise, not the kernel.
        guard perOperation >= 1 else {
            throw LabError.badInput(
                file: program.path, line: nil,
                problem: "kernel '\(kernel.name)' runs \(String(format: "%.3f", perOperation)) instructions per iteration: does it honour --iterations K?")
        }
        return perOperation
    }

    /// Total instructions of one `PROGRAM --kernel NAME --iterations K` process.
    public func instructions(_ name: String, iterations: Int) throws -> UInt64 {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("caplab-count-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let kernelArguments = [executable] + program.arguments(kernel: name, iterations: iterations)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher)
        switch tool {
        case .callgrind:
            process.arguments = ["--tool=callgrind", "--callgrind-out-file=\(output.path)"] + kernelArguments
        case .perf:
            process.arguments = ["stat", "-x", ",", "-e", "instructions:u", "-o", output.path, "--"] + kernelArguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_DETERMINISTIC_HASHING"] = "1"
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let count: UInt64?
        switch tool {
        case .callgrind: count = Self.collected(in: stderr)
        case .perf: count = PerfProbe.instructions(in: (try? String(contentsOf: output, encoding: .utf8)) ?? "")
        }
        guard process.terminationStatus == 0, let count else {
            throw LabError.kernelFailed(kernel: name, status: process.terminationStatus, output: String(stderr.suffix(2_000)))
        }
        return count
    }

    /// The total from callgrind's `==pid== Collected : N` line.
    static func collected(in stderr: String) -> UInt64? {
        for line in stderr.split(separator: "\n") where line.contains("Collected :") {
            if let value = line.split(separator: ":").last.flatMap({ UInt64($0.trimmingCharacters(in: .whitespaces)) }) {
                return value
            }
        }
        return nil
    }
}
