import ArgumentParser
import Foundation
import Lab

/// Runs a check whose result is an exit status for CI, and maps lab errors
/// to the documented statuses: an unknown kernel is a usage error (64),
/// anything else the lab rejects is bad input (65), any other failure (a file
/// that cannot be written, a tool that cannot start) an I/O error (74) —
/// never 1, which means "regression".
func exitWith(_ body: () throws -> ExitStatus) throws {
    let status: ExitStatus
    do {
        status = try body()
    } catch let error as LabError {
        FileHandle.standardError.write(Data("caplab: error: \(error.description)\n".utf8))
        if case .outputNotWritable = error { throw ExitCode(ExitStatus.ioError.rawValue) }
        if case .unknownKernel = error { throw ExitCode(ExitStatus.usage.rawValue) }
        throw ExitCode(ExitStatus.badInput.rawValue)
    } catch let exit as ExitCode {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("caplab: error: \(error)\n".utf8))
        throw ExitCode(ExitStatus.ioError.rawValue)
    }
    if status != .pass { throw ExitCode(status.rawValue) }
}

func parseFormat(_ text: String) throws -> VerdictReport.Format {
    guard let format = VerdictReport.Format(rawValue: text) else {
        throw ValidationError("--format is one of \(VerdictReport.Format.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return format
}

let logToStandardError: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }

/// `5%` → 0.05, `0.05` → 0.05, `95` → 0.95: a number with `%`, or without it
/// below 1 a fraction and from 1 a percentage.
enum Fraction {
    static func parse(_ text: String) -> Double? {
        if text.hasSuffix("%") { return Double(text.dropLast()).map { $0 / 100 } }
        guard let value = Double(text) else { return nil }
        return value < 1 ? value : value / 100
    }
}
