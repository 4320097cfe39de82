import Engines
import Lab

/// SIGINT/SIGTERM during an engine experiment. Under `caplab run` the run's
/// ``Interruption`` handler owns the signals and stops every server by PID
/// and removes the namespaces (``Teardown``) before it exits, so two
/// handlers never race to exit; elsewhere Teardown installs its own.
enum EngineSignals {
    static func install() {
        if Interruption.isInstalled {
            Teardown.shared.delegateSignals()
            Interruption.beforeExit("engines") { Teardown.shared.run() }
        } else {
            Teardown.shared.installSignalHandlers()
        }
    }
}
