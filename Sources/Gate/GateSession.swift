import Foundation
import Lab

/// What `caplab gate baseline|check` does, so the command only parses
/// arguments: pick the program and its kernels, pick the counter, count
/// (in parallel, repeated for a baseline), judge against the baseline,
/// print the report, append the history, and return the exit status.
public struct GateSession: Sendable {
    public var program: String?
    public var baseline: URL
    public var kernels: [String] = []
    public var counter: InstructionCounter.Tool?
    public var repeats = 1
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// Iteration counts for kernels whose listing suggests none.
    public var defaultIterations = (low: 1_000, high: 11_000)
    public var policy = RegressionGate.Policy()
    public var format = VerdictReport.Format.text
    /// Where to append the record of this run (nil: none).
    public var history: URL?

    public init(program: String?, baseline: URL) {
        self.program = program
        self.baseline = baseline
    }

    /// This process's own executable: `caplab` speaks the kernel protocol.
    static var ownExecutable: String { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path }

    /// `gate check`: exit status 0, 1, 2 or 3 (see ``VerdictReport/exitStatus``).
    public func check(output: (String) -> Void, log: @escaping @Sendable (String) -> Void) throws -> ExitStatus {
        guard FileManager.default.fileExists(atPath: baseline.path) else {
            log("caplab: no baseline at \(baseline.path): run `caplab gate baseline` first")
            return .missingBaseline
        }
        var base = try InstructionBaseline.read(baseline)
        let chosen = try chosenKernels()
        if !kernels.isEmpty {
            // Judge only the chosen kernels; rows of kernels that are gone are still reported as stale.
            let listed = Set(try listed().map(\.name)), names = Set(chosen.map(\.name))
            base = InstructionBaseline(base.rows.filter { names.contains($0.kernel) || !listed.contains($0.kernel) })
        }
        // Without --counter: the baseline's counter, so the figures compare (perf only if this machine has counters).
        let tool = counter ?? base.rows.first.map { row -> InstructionCounter.Tool in
            row.counter == .perf && PerfProbe.hardwareInstructionsCounted() ? .perf : .callgrind
        } ?? InstructionCounter.preferredTool()
        let measured = try measure(chosen, tool: tool, repeats: 1, log: log).map { ($0.kernel, $0.instructionsPerOp) }
        let gate = RegressionGate(baseline: base, measured: measured, counter: tool, policy: policy)
        let report = gate.report()
        output(report.rendered(format))
        if let history { try GateHistory.append(kind: "check", counter: tool, measured: measured, commit: Self.commit(), to: history) }
        let status = report.exitStatus
        if status != .pass {
            log("caplab: gate \(status.summary): \(gate.failingKernels.joined(separator: ", "))")
        }
        return status
    }

    /// `gate baseline`: counts every chosen kernel `repeats` times and writes
    /// the median and spread; with --kernel, other rows stay.
    public func writeBaseline(output: (String) -> Void, log: @escaping @Sendable (String) -> Void) throws -> ExitStatus {
        let tool = counter ?? InstructionCounter.preferredTool()
        let rows = try measure(try chosenKernels(), tool: tool, repeats: repeats, log: log)
        var file = InstructionBaseline(rows)
        if FileManager.default.fileExists(atPath: baseline.path) {
            let existing = try InstructionBaseline.read(baseline)
            // Without --kernel, rows of kernels the program no longer lists are dropped; with it, kept.
            let keep = kernels.isEmpty ? existing.rows.filter { row in rows.contains { $0.kernel == row.kernel } } : existing.rows
            file = InstructionBaseline(keep).merging(rows)
        }
        try file.write(to: baseline)
        if let history {
            try GateHistory.append(kind: "baseline", counter: tool, measured: rows.map { ($0.kernel, $0.instructionsPerOp) }, commit: Self.commit(), to: history)
        }
        let widest = rows.map(\.spreadPercent).max() ?? 0
        output("wrote \(file.rows.count) kernels to \(baseline.path) (counted by \(tool.rawValue), \(repeats) repeat\(repeats == 1 ? "" : "s"), widest spread \(Cell.fixed(widest, 4)) %)\n")
        return .pass
    }

    func listed() throws -> [KernelProgram.Listed] {
        try KernelProgram(path: program ?? Self.ownExecutable).kernels(defaultIterations: defaultIterations)
    }

    func chosenKernels() throws -> [KernelProgram.Listed] {
        let all = try listed()
        if kernels.isEmpty { return all }
        return try kernels.map { name in
            guard let kernel = all.first(where: { $0.name == name }) else { throw LabError.unknownKernel(name, known: all.map(\.name)) }
            return kernel
        }
    }

    /// Counts each kernel `repeats` times on `jobs` worker threads; a row's
    /// figure is the median count, its spread (max − min) / median.
    func measure(_ chosen: [KernelProgram.Listed], tool: InstructionCounter.Tool, repeats: Int,
                 log: @escaping @Sendable (String) -> Void) throws -> [InstructionBaseline.Row] {
        let counter = try InstructionCounter(program: KernelProgram(path: program ?? Self.ownExecutable), tool: tool)
        let tasks = chosen.flatMap { kernel in (0..<repeats).map { _ in kernel } }
        let results = try ParallelWork.map(tasks, workers: max(1, jobs)) { try counter.instructionsPerOperation($0) }
        var rows: [InstructionBaseline.Row] = []
        for (i, kernel) in chosen.enumerated() {
            let counts = Array(results[(i * repeats)..<((i + 1) * repeats)]).sorted()
            let median = counts.count % 2 == 1 ? counts[counts.count / 2] : (counts[counts.count / 2 - 1] + counts[counts.count / 2]) / 2
            let spread = median > 0 ? (counts.last! - counts.first!) / median * 100 : 0
            log("[\(i + 1)/\(chosen.count)] \(kernel.name): \(Cell.fixed(median, 2)) instructions/op (\(tool.rawValue)\(repeats > 1 ? ", spread \(Cell.fixed(spread, 4)) %" : ""))")
            rows.append(InstructionBaseline.Row(kernel: kernel.name, instructionsPerOp: median, spreadPercent: spread, repeats: repeats, counter: tool))
        }
        return rows
    }

    static func commit() -> String { Environment.run("git", ["rev-parse", "HEAD"]) ?? "unknown" }
}

/// Running independent child processes on a few threads.
enum ParallelWork {
    /// `transform` applied to every element on `workers` threads, each taking
    /// the next unclaimed element; results in input order, the first error
    /// (by input order) rethrown.
    static func map<T: Sendable, R: Sendable>(_ items: [T], workers: Int, _ transform: @escaping @Sendable (T) throws -> R) throws -> [R] {
        let box = ResultBox<R>(count: items.count)
        let group = DispatchGroup()
        for _ in 0..<min(workers, items.count) {
            group.enter()
            Thread.detachNewThread {
                while let i = box.claim() { box.set(i, Result { try transform(items[i]) }) }
                group.leave()
            }
        }
        group.wait()
        return try box.values()
    }

    final class ResultBox<R: Sendable>: @unchecked Sendable {
        private var results: [Result<R, Error>?]
        private let lock = NSLock()

        private var next = 0

        init(count: Int) { results = Array(repeating: nil, count: count) }

        /// The next unclaimed index, so a worker that drew cheap items takes more of them.
        func claim() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard next < results.count else { return nil }
            next += 1
            return next - 1
        }

        func set(_ index: Int, _ result: Result<R, Error>) {
            lock.lock()
            results[index] = result
            lock.unlock()
        }

        func values() throws -> [R] { try results.map { try $0!.get() } }
    }
}
