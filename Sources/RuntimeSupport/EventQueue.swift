/// The runtimes' agenda: events ordered by time, ties broken by insertion
/// order, so the same inputs always pop in the same order (no dependence on
/// hashing or memory addresses).
///
/// Two structures hold the order, merged at the head:
///
/// - a binary min-heap of small trivially-copyable keys (time, sequence,
///   slot), sifted with a hole instead of swaps;
/// - FIFO *lanes* for events pushed with ``push(_:at:lane:)``: a lane takes
///   events whose times never decrease (a protocol timer of a fixed delay,
///   set at a non-decreasing `now`), so it needs no sifting at all. Request
///   timeouts are most of a simulator's pending events; in a lane they
///   keep the heap (and every sift) small. An event that would break its
///   lane's order goes to the heap instead, so the pop order never depends
///   on the caller's promise.
///
/// Each payload stays in its slot from push to pop: payloads with
/// reference-counted parts (messages carrying sibling sets) are moved
/// twice per event instead of copied through value witnesses at every
/// sift step.
///
/// - Complexity: push O(log h) to the heap, O(1) amortised to a lane; pop
///   O(log h + l) for h heap events and l lanes (at most ``maxLanes``).
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

        /// After every real key: an empty lane's front.
        @usableFromInline static var none: Key { Key(time: .max, sequence: .max, slot: -1) }
    }

    /// Events of one lane in time order; `keys[head...]` are pending.
    @usableFromInline struct Lane: Sendable {
        @usableFromInline let id: Int64
        @usableFromInline var keys: ContiguousArray<Key> = []
        @usableFromInline var head = 0

        @inlinable init(id: Int64) { self.id = id }

        @inlinable var first: Key? { head < keys.count ? keys[head] : nil }

        @inlinable mutating func removeFirst() {
            head &+= 1
            if head == keys.count {
                keys.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 512 && head &* 2 >= keys.count {
                keys.removeFirst(head)
                head = 0
            }
        }
    }

    /// Lanes beyond this many distinct ids go to the heap.
    public static var maxLanes: Int { 4 }

    @usableFromInline var heap: ContiguousArray<Key> = []
    @usableFromInline var lanes: ContiguousArray<Lane> = []
    /// Each lane's first pending key (``Key/none`` when empty), so finding the earliest event reads no lane storage.
    @usableFromInline var fronts: ContiguousArray<Key> = []
    @usableFromInline var slots: ContiguousArray<Payload?> = []
    @usableFromInline var freeSlots: [Int] = []
    @usableFromInline var nextSequence: UInt64 = 0
    @usableFromInline var laneCount = 0

    public init() {}

    public var isEmpty: Bool { count == 0 }
    public var count: Int { heap.count + laneCount }

    /// The time of the earliest event (the threaded runtime's delivery thread sleeps until it).
    @inlinable public var earliest: Int64? { earliestSource()?.key.time }

    /// The earliest key and where it sits: lane index, or -1 for the heap.
    @inlinable
    func earliestSource() -> (key: Key, lane: Int)? {
        var best = heap.isEmpty ? Key.none : heap[0]
        var lane = -1
        if laneCount > 0 {
            fronts.withUnsafeBufferPointer { front in
                for l in 0..<front.count where front[l].precedes(best) {
                    best = front[l]
                    lane = l
                }
            }
        }
        return best.slot < 0 ? nil : (best, lane)
    }

    @inlinable
    mutating func store(_ payload: consuming Payload, at time: Int64) -> Key {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot] = payload
        } else {
            slot = slots.count
            slots.append(payload)
        }
        defer { nextSequence &+= 1 }
        return Key(time: time, sequence: nextSequence, slot: slot)
    }

    @inlinable
    public mutating func push(_ payload: consuming Payload, at time: Int64) {
        siftUp(store(payload, at: time))
    }

    /// Pushes an event into lane `lane` (say, the timer's delay) when its
    /// time is not before the lane's last event, into the heap otherwise.
    @inlinable
    public mutating func push(_ payload: consuming Payload, at time: Int64, lane: Int64) {
        let key = store(payload, at: time)
        var index = -1
        for l in lanes.indices where lanes[l].id == lane {
            index = l
            break
        }
        if index < 0 && lanes.count < Self.maxLanes {
            lanes.append(Lane(id: lane))
            fronts.append(.none)
            index = lanes.count &- 1
        }
        guard index >= 0, lanes[index].keys.last.map({ $0.time <= time }) ?? true else {
            siftUp(key)
            return
        }
        if lanes[index].first == nil { fronts[index] = key }
        lanes[index].keys.append(key)
        laneCount &+= 1
    }

    @inlinable
    mutating func siftUp(_ key: Key) {
        heap.append(key)
        heap.withUnsafeMutableBufferPointer { h in
            var child = h.count &- 1
            while child > 0 {
                let parent = (child &- 1) &>> 1
                let above = h[parent]
                guard key.precedes(above) else { break }
                h[child] = above
                child = parent
            }
            h[child] = key
        }
    }

    /// Removes and returns the earliest event; its time is ``earliest`` before the call.
    /// - Precondition: the queue is not empty.
    @inlinable
    public mutating func removeEarliest() -> Payload {
        let (first, lane) = earliestSource()!
        if lane >= 0 {
            lanes[lane].removeFirst()
            fronts[lane] = lanes[lane].first ?? .none
            laneCount &-= 1
        } else {
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap.withUnsafeMutableBufferPointer { h in
                    let count = h.count
                    var hole = 0
                    while true {
                        var child = 2 &* hole &+ 1
                        if child >= count { break }
                        if child &+ 1 < count && h[child &+ 1].precedes(h[child]) { child &+= 1 }
                        guard h[child].precedes(last) else { break }
                        h[hole] = h[child]
                        hole = child
                    }
                    h[hole] = last
                }
            }
        }
        var payload: Payload? = nil
        swap(&payload, &slots[first.slot])
        freeSlots.append(first.slot)
        return payload!
    }
}
