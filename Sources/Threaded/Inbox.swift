import Foundation

/// A many-producer, one-consumer queue between threads: producers append
/// under a lock; the consumer swaps the whole batch out, waiting on a
/// condition variable (with an optional timeout) when it is empty.
///
/// - Complexity: O(1) amortised per item; one lock round trip per batch on
///   the consumer's side; a signal only when the consumer is asleep.
final class Inbox<Item>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Item] = []
    private var consumerWaiting = false
    private var stopped = false

    init(capacity: Int = 1024) {
        items.reserveCapacity(capacity)
    }

    func put(_ item: Item) {
        condition.lock()
        items.append(item)
        let wake = consumerWaiting
        condition.unlock()
        if wake { condition.signal() }
    }

    /// Swaps the pending items into `batch` (which should be empty). Waits
    /// when there are none: forever when `timeoutNanoseconds` is nil, not at
    /// all when it is ≤ 0. Returns false once stopped and drained.
    func take(into batch: inout [Item], timeoutNanoseconds: Int64?) -> Bool {
        condition.lock()
        if items.isEmpty && !stopped {
            if let timeout = timeoutNanoseconds {
                if timeout > 0 {
                    consumerWaiting = true
                    _ = condition.wait(until: Date(timeIntervalSinceNow: Double(timeout) / 1e9))
                    consumerWaiting = false
                }
            } else {
                consumerWaiting = true
                while items.isEmpty && !stopped { condition.wait() }
                consumerWaiting = false
            }
        }
        swap(&items, &batch)
        let alive = !(stopped && batch.isEmpty)
        condition.unlock()
        return alive
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.unlock()
        condition.broadcast()
    }
}
