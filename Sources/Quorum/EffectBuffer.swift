/// The effects of one step: a core appends them, its runtime drains them.
/// The runtime owns one buffer and reuses it for every step (the way
/// etcd's raft hands I/O out through `Ready`), so once it has grown a step
/// allocates nothing for its effects.
///
/// Noncopyable: one owner and no reference count; ``drain(_:)`` moves each
/// effect out instead of copying it and destroying the original, which for
/// messages carrying sibling sets saves a retain/release pair per payload.
///
/// - Complexity: ``append(_:)`` O(1) amortised; ``drain(_:)`` O(n).
public struct EffectBuffer<Message: Sendable, Timer: Sendable>: ~Copyable {
    public typealias Element = CoreEffect<Message, Timer>

    @usableFromInline var base: UnsafeMutablePointer<Element>
    @usableFromInline var capacity: Int
    @usableFromInline var storedCount = 0

    @inlinable
    public init(capacity: Int = 16) {
        self.capacity = Swift.max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: storedCount)
        base.deallocate()
    }

    @inlinable public var count: Int { storedCount }
    @inlinable public var isEmpty: Bool { storedCount == 0 }

    @inlinable
    public mutating func append(_ effect: consuming Element) {
        if storedCount == capacity { grow() }
        (base + storedCount).initialize(to: effect)
        storedCount &+= 1
    }

    @inlinable @inline(never)
    mutating func grow() {
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity &* 2)
        larger.moveInitialize(from: base, count: storedCount)
        base.deallocate()
        base = larger
        capacity &*= 2
    }

    /// Moves every effect out to `body`, in the order they were appended;
    /// the buffer is empty (its capacity kept) afterwards.
    @inlinable
    public mutating func drain(_ body: (consuming Element) -> Void) {
        var i = 0
        while i < storedCount {
            let effect = (base + i).move()
            i &+= 1
            body(effect)
        }
        storedCount = 0
    }

    /// Drains the buffer into an array (for tests and tools, not a runtime's inner loop).
    public mutating func removeAll() -> [Element] {
        var effects: [Element] = []
        effects.reserveCapacity(storedCount)
        drain { effects.append($0) }
        return effects
    }
}
