import Foundation
import Lab

/// `caplab gate check` and `caplab gate baseline`: count the chosen kernels
/// under callgrind and judge them against, or write them into, the baseline file.
public struct GateRun: Sendable {
    public let kernels: [Kernel]
    /// Whether the kernels were chosen by name (`--kernel`) rather than all.
    public let chosenByName: Bool

    /// The kernels with these names; all of them when `names` is empty.
    public init(kernelNames names: [String]) throws {
        chosenByName = !names.isEmpty
        kernels = try names.isEmpty ? Kernels.all : names.map { name in
            guard let kernel = Kernels.named(name) else { throw LabError.unknownKernel(name, known: Kernels.all.map(\.name)) }
            return kernel
        }
    }

    /// Instructions per operation of every chosen kernel, counted by this
    /// process's own executable under callgrind; `log` hears of each as it finishes.
    public func measure(log: (String) -> Void) throws -> [(kernel: String, instructionsPerOp: Double)] {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let counter = try InstructionCounter(executable: me)
        var measured: [(kernel: String, instructionsPerOp: Double)] = []
        for (i, kernel) in kernels.enumerated() {
            let perOp = try counter.instructionsPerOperation(kernel)
            log("[\(i + 1)/\(kernels.count)] \(kernel.name): \(String(format: "%.2f", perOp)) instructions/op")
            measured.append((kernel.name, perOp))
        }
        return measured
    }

    /// Measures and judges against `baseline`. The baseline rows of existing
    /// kernels that were not chosen are left out; rows of kernels that no
    /// longer exist are still reported as stale.
    public func check(baseline url: URL, tolerance: Double, log: (String) -> Void) throws -> RegressionGate {
        let chosen = Set(kernels.map(\.name))
        let known = Set(Kernels.all.map(\.name))
        let baseline = try InstructionBaseline.read(url).filter { chosen.contains($0.key) || !known.contains($0.key) }
        return RegressionGate(baseline: baseline, measured: try measure(log: log), tolerance: tolerance)
    }

    /// Measures and writes the baseline file; with kernels chosen by name,
    /// every other row of an existing file is kept. Returns the rows written.
    public func rebaseline(_ url: URL, log: (String) -> Void) throws -> Int {
        var rows = try measure(log: log)
        if chosenByName && FileManager.default.fileExists(atPath: url.path) {
            rows = InstructionBaseline.merging(rows, into: try InstructionBaseline.read(url), order: Kernels.all.map(\.name))
        }
        try InstructionBaseline.write(rows, to: url)
        return rows.count
    }
}
