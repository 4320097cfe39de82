import Foundation
import Stats

/// Faults applied at fixed times during a run: partitions by iptables in
/// the hosts' namespaces (symmetric or one-way), crashes by SIGKILL and
/// restarts on the member's data directory.
public struct FaultSchedule: Sendable {
    public enum Action: Sendable, CustomStringConvertible {
        /// Cut these hosts off from every other, both ways.
        case isolate([Int])
        /// Drop packets from `from` at `to` (one-way), or both ways.
        case partition(from: [Int], to: [Int], symmetric: Bool)
        /// Remove every partition rule.
        case heal
        case crash(Int)
        case restart(Int)

        public var description: String {
            switch self {
            case .isolate(let g): return "isolate \(g)"
            case .partition(let a, let b, let s): return "partition \(a) \(s ? "<->" : "->") \(b)"
            case .heal: return "heal"
            case .crash(let i): return "crash \(i)"
            case .restart(let i): return "restart \(i)"
            }
        }
    }

    public var steps: [(atSeconds: Double, action: Action)]

    public init(_ steps: [(atSeconds: Double, action: Action)]) { self.steps = steps.sorted { $0.atSeconds < $1.atSeconds } }

    /// Applies the steps on a thread of their own, timed from `startNanoseconds`; `apply` does one action.
    /// The returned box holds, once the thread is done, each action with the run-relative time it took effect.
    public func start(startNanoseconds: UInt64, apply: @escaping @Sendable (Action) throws -> Void) -> FaultRun {
        let run = FaultRun()
        let steps = self.steps
        let thread = Thread {
            for (at, action) in steps {
                let target = startNanoseconds &+ UInt64(at * 1e9)
                let now = monotonicNanoseconds()
                if now < target { sleepNanoseconds(target - now) }
                var failure: String?
                do { try apply(action) } catch { failure = "\(error)" }
                run.record(action, at: Int64(monotonicNanoseconds() &- startNanoseconds), error: failure)
            }
            run.finish()
        }
        thread.start()
        return run
    }
}

/// The actions of a schedule as they were applied.
public final class FaultRun: @unchecked Sendable {
    private let cond = NSCondition()
    private var applied: [(action: FaultSchedule.Action, atNanoseconds: Int64, error: String?)] = []
    private var done = false

    func record(_ action: FaultSchedule.Action, at: Int64, error: String?) { cond.withLock { applied.append((action, at, error)) } }
    func finish() { cond.withLock { done = true; cond.broadcast() } }

    /// Waits for the last step and returns what was applied, when.
    public func wait() -> [(action: FaultSchedule.Action, atNanoseconds: Int64, error: String?)] {
        cond.withLock {
            while !done { cond.wait() }
            return applied
        }
    }
}
