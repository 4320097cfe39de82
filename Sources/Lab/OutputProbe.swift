import Foundation

/// Checks, before a long run starts, that its output file can be written,
/// so an unwritable `--out` fails in a second instead of after the run.
/// It creates and removes a probe file beside the target; the target itself
/// is not touched.
public enum OutputProbe {
    /// - Throws: ``LabError/outputNotWritable(path:reason:)`` naming the path and why.
    public static func check(file path: String) throws {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw LabError.outputNotWritable(path: path, reason: "it is a directory; expected a file name")
        }
        let directory = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LabError.outputNotWritable(path: path, reason: "directory '\(directory)' does not exist")
        }
        let probe = url.deletingLastPathComponent().appendingPathComponent(".caplab-probe-\(getpid())").path
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw LabError.outputNotWritable(path: path, reason: String(cString: strerror(errno)))
        }
        close(fd)
        unlink(probe)
    }
}
