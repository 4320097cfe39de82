/// The simulator's agenda: a binary min-heap of events ordered by virtual
/// time, ties broken by insertion order, so the same inputs always pop in
/// the same order (no dependence on hashing or memory addresses).
///
/// The heap orders small trivially-copyable keys (time, sequence, slot);
/// each payload stays in its slot from push to pop. Payloads with
/// reference-counted parts (messages carrying sibling sets) are then moved
/// twice per event instead of copied through value witnesses at every
/// sift step.
///
/// - Complexity: push and pop O(log n); storage two ContiguousArrays and a free list.
public struct EventQueue<Payload: Sendable>: Sendable {
    @usableFromInline struct Key: Sendable {
        @usableFromInline let time: Int64
        @usableFromInline let sequence: UInt64
        @usableFromInline let slot: Int

        @inlinable init(time: Int64, sequence: UInt64, slot: Int) {
            self.time = time
            self.sequence = sequence
            self.slot = slot
        }

        @inlinable func precedes(_ other: Key) -> Bool {
            time != other.time ? time < other.time : sequence < other.sequence
        }
    }

    @usableFromInline var heap: ContiguousArray<Key> = []
    @usableFromInline var slots: ContiguousArray<Payload?> = []
    @usableFromInline var freeSlots: [Int] = []
    @usableFromInline var nextSequence: UInt64 = 0

    public init() {}

    public var isEmpty: Bool { heap.isEmpty }
    public var count: Int { heap.count }
    /// The time of the earliest event (the threaded runtime's delivery thread sleeps until it).
    @inlinable public var earliest: Int64? { heap.first?.time }

    @inlinable
    public mutating func push(_ payload: consuming Payload, at time: Int64) {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot] = payload
        } else {
            slot = slots.count
            slots.append(payload)
        }
        heap.append(Key(time: time, sequence: nextSequence, slot: slot))
        nextSequence &+= 1
        var child = heap.count &- 1
        while child > 0 {
            let parent = (child &- 1) &>> 1
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest event; its time is ``earliest`` before the call.
    /// - Precondition: the queue is not empty.
    @inlinable
    public mutating func removeEarliest() -> Payload {
        let first = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 &* parent &+ 1
                if left >= heap.count { break }
                let right = left &+ 1
                let smaller = right < heap.count && heap[right].precedes(heap[left]) ? right : left
                guard heap[smaller].precedes(heap[parent]) else { break }
                heap.swapAt(smaller, parent)
                parent = smaller
            }
        }
        var payload: Payload? = nil
        swap(&payload, &slots[first.slot])
        freeSlots.append(first.slot)
        return payload!
    }
}
