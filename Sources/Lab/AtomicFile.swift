import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files so that a reader sees either the old content or the whole
/// new content, never a half-written result: the data goes to a temporary
/// file in the same directory, is written with `write(2)` until done and
/// `fsync`'ed, and is then renamed over the target (rename(2) is atomic
/// within one file system). A failure (a full disk: ENOSPC) removes the
/// temporary file and names the real cause.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        try writeTogether([(data, url)])
    }

    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Writes several files as one unit as far as a full disk or an error
    /// goes: every temporary file is written and synced before the first
    /// rename, so a failure while writing (where ENOSPC happens) leaves all
    /// targets as they were. The renames follow in the order given; a
    /// crash between two renames is the one window left, which callers
    /// close by recording in a later file a digest of an earlier one
    /// (``RunMetadata/csvDigest``), so a mismatched pair is detected.
    public static func writeTogether(_ files: [(Data, URL)]) throws {
        var temporaries: [URL] = []
        defer {
            for temporary in temporaries {
                unlink(temporary.path)
                Interruption.untrack(temporary)
            }
        }
        for (data, url) in files {
            let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp.\(getpid())")
            temporaries.append(temporary)
            Interruption.track(temporary)
            if let reason = writeSynced(data, to: temporary.path) {
                throw LabError.outputNotWritable(path: url.path, reason: reason)
            }
        }
        for (temporary, (_, url)) in zip(temporaries, files) where rename(temporary.path, url.path) != 0 {
            throw LabError.outputNotWritable(path: url.path, reason: String(cString: strerror(errno)))
        }
        // The renames themselves live in the directory: sync it so they survive a power cut.
        for directory in Set(files.map { $0.1.deletingLastPathComponent().path }) {
            let fd = open(directory, O_RDONLY | O_DIRECTORY)
            if fd >= 0 { fsync(fd); close(fd) }
        }
    }

    /// Writes all of `data` to a new file at `path` and syncs it; the reason on failure (nil when written).
    static func writeSynced(_ data: Data, to path: String) -> String? {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        var failure: String?
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = "fsync: " + String(cString: strerror(errno)) }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        return failure
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
