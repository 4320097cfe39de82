import Dispatch
import Foundation

/// Set once SIGINT (Ctrl-C) arrives, so a long check can stop its search
/// (checked every 4096 steps) and print what it decided so far.
final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    private var source: DispatchSourceSignal?

    var isSet: Bool { lock.withLock { value } }

    /// Replaces SIGINT's default action (terminate) with setting the flag.
    static func installForSIGINT() -> InterruptFlag {
        let flag = InterruptFlag()
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { flag.lock.withLock { flag.value = true } }
        source.resume()
        flag.source = source
        return flag
    }
}
