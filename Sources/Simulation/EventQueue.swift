/// The simulator's agenda: a binary min-heap of events ordered by virtual
/// time, ties broken by insertion order, so the same inputs always pop in
/// the same order (no dependence on hashing or memory addresses).
///
/// - Complexity: push and pop O(log n); storage one ContiguousArray.
public struct EventQueue<Payload: Sendable>: Sendable {
    @usableFromInline struct Entry: Sendable {
        @usableFromInline let time: Int64
        @usableFromInline let sequence: UInt64
        @usableFromInline let payload: Payload

        @inlinable init(time: Int64, sequence: UInt64, payload: Payload) {
            self.time = time
            self.sequence = sequence
            self.payload = payload
        }

        @inlinable func precedes(_ other: Entry) -> Bool {
            time != other.time ? time < other.time : sequence < other.sequence
        }
    }

    @usableFromInline var heap: ContiguousArray<Entry> = []
    @usableFromInline var nextSequence: UInt64 = 0

    public init() {}

    public var isEmpty: Bool { heap.isEmpty }
    public var count: Int { heap.count }
    /// The time of the earliest event (the threaded runtime's delivery thread sleeps until it).
    @inlinable public var earliest: Int64? { heap.first?.time }

    @inlinable
    public mutating func push(_ payload: Payload, at time: Int64) {
        heap.append(Entry(time: time, sequence: nextSequence, payload: payload))
        nextSequence &+= 1
        var child = heap.count &- 1
        while child > 0 {
            let parent = (child &- 1) &>> 1
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// The earliest event and its time.
    @inlinable
    public mutating func pop() -> (time: Int64, payload: Payload)? {
        guard let first = heap.first else { return nil }
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
        return (first.time, first.payload)
    }
}
