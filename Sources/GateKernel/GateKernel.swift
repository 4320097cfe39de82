#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes any executable a program `caplab gate --program` can measure.
///
/// The protocol is two command lines:
/// - `PROGRAM --list-kernels` prints one kernel name per line (a line may add
///   two suggested iteration counts, `NAME LOW HIGH`, for kernels too slow for
///   the gate's default);
/// - `PROGRAM --kernel NAME --iterations K` runs that kernel K times and exits 0.
///
/// The gate counts instructions at two iteration counts and subtracts, so
/// process start-up and a kernel's setup cancel. A Swift package declares
/// its kernels and hands the command line over:
///
/// ```swift
/// import GateKernel
///
/// GateKernel.main([
///     GateKernel("ring/lookup") { iterations in
///         var sum = 0
///         for i in 0..<iterations { sum &+= ring.node(for: UInt64(i)) }
///         return sum          // a checksum keeps the work from being optimised away
///     },
/// ])
/// ```
///
/// This module has no dependencies, so adding it costs a package nothing.
public struct GateKernel: Sendable {
    public let name: String
    /// Suggested iteration counts (low, high) for the two counted runs, or nil for the gate's default.
    public let iterations: (low: Int, high: Int)?
    public let body: @Sendable (Int) -> Int

    /// - Parameters:
    ///   - name: a name without spaces, stable across commits (it keys the baseline).
    ///   - body: performs the operation `iterations` times and returns a checksum of the results.
    public init(_ name: String, iterations: (low: Int, high: Int)? = nil, _ body: @escaping @Sendable (_ iterations: Int) -> Int) {
        self.name = name
        self.iterations = iterations
        self.body = body
    }

    /// What a command line asks of a kernel program.
    public enum Request: Equatable, Sendable {
        case list
        case run(kernel: String, iterations: Int)
    }

    /// The protocol request in `arguments` (without the program name), nil
    /// when the command line is something else, so a program with its own
    /// CLI can answer the protocol first and fall through otherwise.
    public static func request(_ arguments: [String]) -> Request? {
        if arguments == ["--list-kernels"] { return .list }
        guard arguments.count == 4 else { return nil }
        var name: String?, iterations: Int?
        var i = 0
        while i + 1 < arguments.count {
            switch arguments[i] {
            case "--kernel": name = arguments[i + 1]
            case "--iterations": iterations = Int(arguments[i + 1])
            default: return nil
            }
            i += 2
        }
        guard let name, let iterations, iterations >= 0 else { return nil }
        return .run(kernel: name, iterations: iterations)
    }

    /// The `--list-kernels` line for this kernel.
    public var listing: String {
        guard let iterations else { return name }
        return "\(name) \(iterations.low) \(iterations.high)"
    }

    /// Answers `request` for `kernels` and returns the exit status: 0, or 64
    /// (usage) for an unknown kernel. The checksum goes to standard output.
    public static func serve(_ request: Request, kernels: [GateKernel]) -> Int32 {
        switch request {
        case .list:
            for kernel in kernels { print(kernel.listing) }
            return 0
        case .run(let name, let iterations):
            guard let kernel = kernels.first(where: { $0.name == name }) else {
                writeError("unknown kernel '\(name)'; `--list-kernels` lists them\n")
                return 64
            }
            print(kernel.body(iterations))
            return 0
        }
    }

    /// The whole command line of a program that is only a kernel program:
    /// serves the protocol and exits; anything else is a usage error (64).
    public static func main(_ kernels: [GateKernel], arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        guard let request = request(arguments) else {
            writeError("usage: --list-kernels | --kernel NAME --iterations K\n")
            exit(64)
        }
        exit(serve(request, kernels: kernels))
    }

    static func writeError(_ message: String) {
        var message = message
        message.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
