import Foundation
import Lab

/// An executable that speaks the gate's kernel protocol (see the
/// `GateKernel` module): `PATH --list-kernels` prints one kernel per line,
/// `PATH --kernel NAME --iterations K` runs it K times and exits 0.
public struct KernelProgram: Sendable {
    /// A kernel as the program lists it, with the iteration counts the gate will use.
    public struct Listed: Sendable, Equatable {
        public let name: String
        public let iterations: (low: Int, high: Int)

        public init(name: String, iterations: (low: Int, high: Int)) {
            self.name = name
            self.iterations = iterations
        }

        public static func == (a: Listed, b: Listed) -> Bool {
            a.name == b.name && a.iterations == b.iterations
        }
    }

    public let path: String

    public init(path: String) { self.path = path }

    /// The command line that runs `kernel` `iterations` times.
    public func arguments(kernel: String, iterations: Int) -> [String] {
        ["--kernel", kernel, "--iterations", String(iterations)]
    }

    /// Runs `PATH --list-kernels`.
    public func kernels(defaultIterations: (low: Int, high: Int)) throws -> [Listed] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--list-kernels"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw LabError.badInput(file: path, line: nil, problem: "cannot run the kernel program: \(error.localizedDescription)")
        }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw LabError.badInput(file: path, line: nil, problem: "`--list-kernels` exited \(process.terminationStatus); see the kernel protocol in README.md")
        }
        return try Self.parseListing(text, program: path, defaultIterations: defaultIterations)
    }

    /// Lines are `NAME` or `NAME LOW HIGH`; blank lines are skipped.
    static func parseListing(_ text: String, program: String, defaultIterations: (low: Int, high: Int)) throws -> [Listed] {
        var listed: [Listed] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if fields.isEmpty { continue }
            var iterations = defaultIterations
            if fields.count == 3, let low = Int(fields[1]), let high = Int(fields[2]), 0 <= low, low < high {
                iterations = (low, high)
            } else if fields.count != 1 {
                throw LabError.badInput(file: program + " --list-kernels", line: index + 1, problem: "expected `NAME` or `NAME LOW HIGH`, got '\(line)'")
            }
            guard !listed.contains(where: { $0.name == fields[0] }) else {
                throw LabError.badInput(file: program + " --list-kernels", line: index + 1, problem: "kernel '\(fields[0])' listed twice")
            }
            listed.append(Listed(name: fields[0], iterations: iterations))
        }
        guard !listed.isEmpty else {
            throw LabError.badInput(file: program + " --list-kernels", line: nil, problem: "the program lists no kernels")
        }
        return listed
    }
}
