import Foundation

/// Writes files so that a reader sees either the old content or the whole
/// new content, never a half-written result: the data goes to a temporary
/// file in the same directory, which is then renamed over the target
/// (rename(2) is atomic within one file system).
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp.\(getpid())")
        do {
            try data.write(to: temporary)
        } catch {
            throw LabError.outputNotWritable(path: url.path, reason: describe(error))
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw LabError.outputNotWritable(path: url.path, reason: reason)
        }
    }

    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Creates `directory` if needed and checks that files can be created in
    /// it, so a run fails before it measures anything rather than after.
    public static func ensureWritableDirectory(_ directory: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw LabError.outputNotWritable(path: directory.path, reason: "it exists and is not a directory")
            }
        } else {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw LabError.outputNotWritable(path: directory.path, reason: describe(error))
            }
        }
        guard access(directory.path, W_OK) == 0 else {
            throw LabError.outputNotWritable(path: directory.path, reason: String(cString: strerror(errno)))
        }
    }

    static func describe(_ error: Error) -> String {
        if let posix = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return (error as NSError).localizedDescription
    }
}
