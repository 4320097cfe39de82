import Dispatch
import Foundation

/// Everything CAPLab created for a run — server processes, proxies, network
/// namespaces, scratch directories — and one way to remove it all, in reverse
/// order, on success, on failure and on SIGINT/SIGTERM.
public final class Teardown: @unchecked Sendable {
    public static let shared = Teardown()

    private let lock = NSLock()
    private var processes: [SupervisedProcess] = []
    private var actions: [(label: String, body: @Sendable () -> Void)] = []
    private var signalSources: [DispatchSourceSignal] = []
    private var signalsDelegated = false

    /// A server process to SIGKILL at teardown.
    func register(_ process: SupervisedProcess) { lock.withLock { processes.append(process) } }

    /// Something to undo at teardown (after every process is gone), last registered first.
    public func onTeardown(_ label: String, _ body: @escaping @Sendable () -> Void) {
        lock.withLock { actions.append((label, body)) }
    }

    /// Kills every registered process, then runs the undo actions; safe to call twice.
    public func run() {
        let (procs, undo) = lock.withLock { () -> ([SupervisedProcess], [(label: String, body: @Sendable () -> Void)]) in
            defer { processes = []; actions = [] }
            return (processes, actions)
        }
        for p in procs.reversed() { p.kill() }
        for a in undo.reversed() { a.body() }
    }

    /// Another handler owns SIGINT/SIGTERM and calls ``run()`` before it exits
    /// (`caplab run`'s interruption handler); ``installSignalHandlers()`` then
    /// installs nothing, so two handlers never race to exit.
    public func delegateSignals() { lock.withLock { signalsDelegated = true } }

    /// Installs SIGINT and SIGTERM handlers that tear everything down and exit 130/143
    /// (unless the signals were delegated with ``delegateSignals()``).
    public func installSignalHandlers() {
        lock.withLock {
            guard signalSources.isEmpty, !signalsDelegated else { return }
            for sig in [SIGINT, SIGTERM] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                source.setEventHandler { [weak self] in
                    FileHandle.standardError.write(Data("caplab: signal \(sig): stopping every server and removing namespaces\n".utf8))
                    self?.run()
                    exit(128 + sig)
                }
                source.resume()
                signalSources.append(source)
            }
        }
    }
}
