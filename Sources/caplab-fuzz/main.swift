import Foundation
import Stats

/// `caplab-fuzz`: a seeded random-mutation fuzzer for every CAPLab input
/// parser (see Targets.swift). Feedback without coverage instrumentation:
/// an input joins the corpus when it produces an outcome not seen before
/// (success, or an error message with its numbers blanked), a cheap proxy
/// for a new path through the parser.
///
///     caplab-fuzz --list
///     caplab-fuzz --target scenario-yaml --seconds 60 [--seed 1] [--corpus DIR] [--crashes DIR]
///     caplab-fuzz --target scenario-yaml --replay FILE
///
/// Exit 0: no crash; 1: a crash or hang (the input is saved under --crashes); 64: usage.
struct Options {
    var target = ""
    var seconds = 10.0
    var seed: UInt64 = 1
    var corpus: [String] = []
    var crashes = ".build/fuzz-crashes"
    var replay: String?
    var list = false
    /// Longest one input may run before it counts as a hang.
    var timeoutSeconds: UInt32 = 10
    var maxLength = 1 << 16

    static func parse(_ arguments: [String]) -> Options? {
        var o = Options()
        var i = 0
        func value() -> String? { i += 1; return i < arguments.count ? arguments[i] : nil }
        while i < arguments.count {
            switch arguments[i] {
            case "--target": guard let v = value() else { return nil }; o.target = v
            case "--seconds": guard let v = value().flatMap(Double.init), v > 0, v.isFinite else { return nil }; o.seconds = v
            case "--seed": guard let v = value().flatMap({ UInt64($0) }) else { return nil }; o.seed = v
            case "--corpus": guard let v = value() else { return nil }; o.corpus.append(v)
            case "--crashes": guard let v = value() else { return nil }; o.crashes = v
            case "--replay": guard let v = value() else { return nil }; o.replay = v
            case "--timeout": guard let v = value().flatMap({ UInt32($0) }), v > 0 else { return nil }; o.timeoutSeconds = v
            case "--list": o.list = true
            default: return nil
            }
            i += 1
        }
        return o
    }
}

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data("caplab-fuzz: \(message)\n".utf8))
    exit(status)
}

guard let options = Options.parse(Array(CommandLine.arguments.dropFirst())) else {
    fail("usage: caplab-fuzz --list | --target NAME [--seconds S] [--seed N] [--corpus DIR]... [--crashes DIR] [--timeout S] | --target NAME --replay FILE", status: 64)
}
if options.list {
    for target in FuzzTarget.all { print(target.name) }
    exit(0)
}
guard let target = FuzzTarget.all.first(where: { $0.name == options.target }) else {
    fail("unknown target '\(options.target)'; known: \(FuzzTarget.all.map(\.name).joined(separator: ", "))", status: 64)
}

// An input that allocates without bound fails here instead of taking the machine.
var limit = rlimit(rlim_cur: 8 << 30, rlim_max: 8 << 30)
setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("caplab-fuzz-\(getpid())")
try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }
FuzzTarget.scratch = scratch.path
try? "ms\n1\n2\n3\n".write(to: scratch.appendingPathComponent("rtt.csv"), atomically: true, encoding: .utf8)
try? FileManager.default.createDirectory(atPath: options.crashes, withIntermediateDirectories: true)
let crashFile = (options.crashes as NSString).appendingPathComponent("\(target.name)-seed\(options.seed)-\(getpid()).input")
CrashCapture.install(crashFile: crashFile, target: target.name)

/// Runs one input under the hang alarm; the outcome's shape ("ok", or the error with digits blanked).
func execute(_ input: [UInt8]) -> String {
    CrashCapture.current(input)
    alarm(options.timeoutSeconds)
    defer { alarm(0) }
    do {
        try target.run(input)
        return "ok"
    } catch {
        // The message up to the quoted value it echoes, numbers blanked: one outcome per kind of refusal.
        let text = String(describing: error).prefix(100).prefix { $0 != "'" && $0 != "\"" }
        return String(text.map { $0.isNumber ? "#" : $0 })
    }
}

if let replay = options.replay {
    guard let data = FileManager.default.contents(atPath: replay) else { fail("cannot read '\(replay)'", status: 74) }
    print("\(target.name): \(execute([UInt8](data)))")
    exit(0)
}

var corpus = target.seeds
for directory in options.corpus {
    let url = URL(fileURLWithPath: directory)
    let files = (try? FileManager.default.subpathsOfDirectory(atPath: directory)) ?? []
    for file in files.sorted() {
        if let data = FileManager.default.contents(atPath: url.appendingPathComponent(file).path), !data.isEmpty, data.count <= options.maxLength {
            corpus.append([UInt8](data))
        }
    }
}
var outcomes = Set<String>()
for input in corpus { outcomes.insert(execute(input)) }

var mutator = Mutator(seed: options.seed, dictionary: target.tokens, maxLength: options.maxLength)
let start = monotonicNanoseconds()
let deadline = start + UInt64(options.seconds * 1e9)
var executions = 0
let corpusLimit = 2_000
while monotonicNanoseconds() < deadline {
    for _ in 0..<16 {
        let base = corpus[mutator.below(corpus.count)], other = corpus[mutator.below(corpus.count)]
        let input = mutator.mutate(base, other: other)
        let outcome = execute(input)
        executions += 1
        if outcomes.insert(outcome).inserted, corpus.count < corpusLimit { corpus.append(input) }
    }
}
let elapsed = Double(monotonicNanoseconds() - start) / 1e9
print("\(target.name): \(executions) executions in \(String(format: "%.1f", elapsed)) s "
      + "(\(Int(Double(executions) / elapsed))/s), corpus \(corpus.count), distinct outcomes \(outcomes.count), crashes 0")
