import Foundation

/// Draws an experiment's CSV with its gnuplot script.
///
/// The script `<scripts>/<name>.gp` receives two variables, `csv` (input)
/// and `png` (output); the PNG is drawn to a temporary file and renamed, so
/// a failed plot never leaves a half-drawn picture.
public enum Plotter {
    public static func plot(_ name: String, scripts: URL, results: URL) throws -> URL {
        let script = scripts.appendingPathComponent("\(name).gp")
        let csv = results.appendingPathComponent("\(name).csv")
        let png = results.appendingPathComponent("\(name).png")
        guard FileManager.default.fileExists(atPath: script.path) else { throw LabError.plotScriptMissing(path: script.path) }
        guard FileManager.default.fileExists(atPath: csv.path) else { throw LabError.resultsMissing(path: csv.path) }
        guard let gnuplot = Executables.find("gnuplot") else { throw LabError.gnuplotMissing }
        try AtomicFile.ensureWritableDirectory(results)

        let temporary = results.appendingPathComponent(".\(name).png.tmp.\(getpid())")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gnuplot)
        process.arguments = ["-e", "csv='\(csv.path)'; png='\(temporary.path)'", script.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: temporary.path) else {
            try? FileManager.default.removeItem(at: temporary)
            throw LabError.plotFailed(
                experiment: name, status: process.terminationStatus,
                stderr: String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        if rename(temporary.path, png.path) != 0 {
            throw LabError.outputNotWritable(path: png.path, reason: String(cString: strerror(errno)))
        }
        return png
    }
}
