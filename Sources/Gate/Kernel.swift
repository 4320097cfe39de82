import Lab
import GateKernel

/// A hot operation of one area, runnable alone for a given number of
/// iterations, so that a deterministic counter (instructions executed under
/// callgrind) can be read per operation.
///
/// `run(iterations)` builds its inputs from a fixed seed (setup that does
/// not depend on `iterations`), performs the operation `iterations` times,
/// and returns a checksum of the results. Running it at two iteration
/// counts and subtracting cancels start-up and setup exactly.
public struct Kernel: Sendable {
    public let name: String
    public let summary: String
    /// Iteration counts for the two callgrind runs (low, high). Cheap
    /// operations use the default; expensive ones use fewer.
    public let iterations: (low: Int, high: Int)
    public let run: @Sendable (Int) -> Int

    public init(_ name: String, _ summary: String, iterations: (low: Int, high: Int) = (2_000, 12_000), run: @escaping @Sendable (Int) -> Int) {
        self.name = name
        self.summary = summary
        self.iterations = iterations
        self.run = run
    }
}

extension Kernel {
    /// This kernel as the kernel protocol serves it (`caplab --kernel NAME --iterations K`).
    public var gateKernel: GateKernel { GateKernel(name, iterations: iterations, run) }
}
