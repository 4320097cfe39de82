import Foundation

/// The scratch directory of one run (data directories, logs, configs), under
/// the system temporary directory; removed at teardown unless kept for a
/// cluster that `caplab engine up` leaves running.
public struct Scratch: Sendable {
    public let path: String

    public static func create(_ label: String, keep: Bool = false) throws -> Scratch {
        let path = NSTemporaryDirectory() + "caplab-\(label)-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        if !keep { Teardown.shared.onTeardown("scratch \(path)") { try? FileManager.default.removeItem(atPath: path) } }
        return Scratch(path: path)
    }

    public func subdirectory(_ name: String) throws -> String {
        let p = path + "/" + name
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }
}

/// Waits until `condition` holds, checking every `interval` seconds, for at most `timeout` seconds.
func waitUntil(timeout: Double, interval: Double = 0.1, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(UInt32(interval * 1e6))
    }
    return condition()
}

/// Sleeps for `nanoseconds` (any length: nanosleep, resumed after a signal), unlike
/// `usleep(UInt32(...))`, which traps past about 71 minutes.
func sleepNanoseconds(_ nanoseconds: UInt64) {
    var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}
