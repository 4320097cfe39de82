import Foundation
import Lab

/// Counts the instructions a kernel executes per operation with
/// `valgrind --tool=callgrind`.
///
/// Each kernel runs twice, at a low and a high iteration count, in a fresh
/// process under callgrind; instructions per operation are
/// `(I_high − I_low) / (K_high − K_low)`, so process start-up, the Swift
/// runtime's initialisation and the kernel's setup cancel out. Instruction
/// counts do not depend on what else the machine is doing (see
/// MEASUREMENT.md): unchanged code gives the same count run after run.
/// Swift's per-process hash seeding is switched off
/// (`SWIFT_DETERMINISTIC_HASHING=1`) so `Dictionary`/`Set` iteration
/// order, and with it the instruction count, is the same every run.
public struct InstructionCounter: Sendable {
    /// The `caplab` executable to run kernels from (normally this process's own binary).
    public let executable: String
    public let valgrind: String

    /// Prepares to count kernels of `executable`. Valgrind 3.19 cannot read
    /// the DWARF 5 debug information clang emits for the package's C
    /// targets, so kernels run from a copy with the debug sections stripped
    /// (`strip --strip-debug`), beside the original so relative resource
    /// lookups still work. Instructions executed are the same.
    public init(executable: String) throws {
        guard let valgrind = Executables.find("valgrind") else {
            throw LabError.toolMissing(tool: "valgrind", install: "apt-get install valgrind (or `make deps`)")
        }
        guard let strip = Executables.find("strip") else {
            throw LabError.toolMissing(tool: "strip", install: "apt-get install binutils (or `make deps`)")
        }
        let stripped = executable + ".callgrind"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: strip)
        process.arguments = ["--strip-debug", "-o", stripped, executable]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw LabError.outputNotWritable(path: stripped, reason: "strip --strip-debug failed (exit \(process.terminationStatus))")
        }
        self.executable = stripped
        self.valgrind = valgrind
    }

    /// Instructions per operation of `kernel`.
    public func instructionsPerOperation(_ kernel: Kernel) throws -> Double {
        let low = try instructions(kernel.name, iterations: kernel.iterations.low)
        let high = try instructions(kernel.name, iterations: kernel.iterations.high)
        return Double(Int64(high) - Int64(low)) / Double(kernel.iterations.high - kernel.iterations.low)
    }

    /// Total instructions of one `caplab kernel NAME --iterations K` process.
    public func instructions(_ name: String, iterations: Int) throws -> UInt64 {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("caplab-callgrind-\(getpid()).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: valgrind)
        process.arguments = [
            "--tool=callgrind", "--callgrind-out-file=\(output.path)",
            executable, "kernel", name, "--iterations", String(iterations),
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_DETERMINISTIC_HASHING"] = "1"
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, let count = InstructionCounter.collected(in: stderr) else {
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
