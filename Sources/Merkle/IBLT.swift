import Hashing

/// An invertible Bloom lookup table over (key, version) items (Goodrich &
/// Mitzenmacher, "Invertible Bloom Lookup Tables", 2011), used for set
/// reconciliation as in Eppstein, Goodrich, Uyeda & Varghese, "What's the
/// Difference? Efficient Set Reconciliation without Prior Context",
/// SIGCOMM 2011: each side builds a table of the same size, one subtracts
/// the other's, and peeling the result lists the symmetric difference — in
/// space proportional to the difference, not to the set.
///
/// Each item goes to one cell in each of `hashCount` equal partitions (so
/// its cells are distinct). A cell keeps a count and XOR sums of keys,
/// versions and a 64-bit check hash; a cell is pure when its count is ±1
/// and its check sum is the check hash of its key and version sums.
///
/// - Complexity: insert O(k); subtract O(cells); decode O(cells + d·k).
///   Wire size 28 bytes per cell (4-byte count, three 8-byte sums).
public struct IBLT: Sendable, Equatable {
    @usableFromInline struct Cell: Sendable, Equatable {
        @usableFromInline var count: Int64 = 0
        @usableFromInline var keySum: UInt64 = 0
        @usableFromInline var versionSum: UInt64 = 0
        @usableFromInline var checkSum: UInt64 = 0
        @usableFromInline init() {}
        var isEmpty: Bool { count == 0 && keySum == 0 && versionSum == 0 && checkSum == 0 }
    }

    public let hashCount: Int
    public let partitionSize: Int
    @usableFromInline var cells: ContiguousArray<Cell>

    public static let cellBytes = 28

    /// A table of at least `cells` cells (rounded up to a multiple of `hashCount`).
    public init(cells: Int, hashCount: Int = 4) {
        precondition(hashCount >= 2 && cells >= hashCount)
        self.hashCount = hashCount
        self.partitionSize = (cells + hashCount - 1) / hashCount
        self.cells = ContiguousArray(repeating: Cell(), count: partitionSize * hashCount)
    }

    public var cellCount: Int { cells.count }
    public var byteCount: Int { cells.count * Self.cellBytes }

    @inlinable static func itemHash(_ key: UInt64, _ version: UInt64) -> UInt64 {
        XXH64Hash.hash(key: key, version: version)
    }

    @inlinable static func check(_ itemHash: UInt64) -> UInt64 {
        XXHash64.hash(itemHash, seed: 0x5EED_C4EC)
    }

    @inlinable func cellIndex(_ itemHash: UInt64, partition p: Int) -> Int {
        let h = XXHash64.hash(itemHash, seed: UInt64(p &+ 1))
        // Multiply-shift reduction to [0, partitionSize) (Lemire).
        let slot = Int(truncatingIfNeeded: h.multipliedFullWidth(by: UInt64(partitionSize)).high)
        return p &* partitionSize &+ slot
    }

    @inlinable mutating func add(key: UInt64, version: UInt64, sign: Int64) {
        let h = Self.itemHash(key, version)
        let c = Self.check(h)
        for p in 0..<hashCount {
            let i = cellIndex(h, partition: p)
            cells[i].count &+= sign
            cells[i].keySum ^= key
            cells[i].versionSum ^= version
            cells[i].checkSum ^= c
        }
    }

    @inlinable public mutating func insert(_ item: Item) { add(key: item.key, version: item.version, sign: 1) }
    @inlinable public mutating func remove(_ item: Item) { add(key: item.key, version: item.version, sign: -1) }

    /// This table minus another of the same size: the table of the
    /// symmetric difference (items only here count +1, only there −1).
    public func subtracting(_ other: IBLT) -> IBLT {
        precondition(cells.count == other.cells.count && hashCount == other.hashCount, "tables differ in size")
        var result = self
        for i in 0..<cells.count {
            result.cells[i].count &-= other.cells[i].count
            result.cells[i].keySum ^= other.cells[i].keySum
            result.cells[i].versionSum ^= other.cells[i].versionSum
            result.cells[i].checkSum ^= other.cells[i].checkSum
        }
        return result
    }

    /// The outcome of peeling a difference table.
    public enum Decoded: Sendable, Equatable {
        /// Every cell emptied: the complete symmetric difference.
        case complete(onlyHere: [Item], onlyThere: [Item])
        /// Peeling stalled with cells left: the table was too small. The
        /// items peeled so far are not returned, so no caller can mistake a
        /// partial list for the answer.
        case failed(peeled: Int)
    }

    /// Peels the table (Eppstein et al. §3.1, Goodrich & Mitzenmacher
    /// `listEntries`): repeatedly takes a pure cell's item and removes it
    /// from its other cells. An item is accepted only if its check hash
    /// matches and it maps back to the cell it was found in.
    public func decode() -> Decoded {
        var table = self
        var onlyHere: [Item] = [], onlyThere: [Item] = []
        var stack: [Int] = []
        for i in 0..<table.cells.count where table.isPure(i) { stack.append(i) }
        while let i = stack.popLast() {
            guard table.isPure(i) else { continue }
            let cell = table.cells[i]
            let item = Item(key: cell.keySum, version: cell.versionSum)
            if cell.count == 1 { onlyHere.append(item) } else { onlyThere.append(item) }
            let h = Self.itemHash(item.key, item.version)
            let c = Self.check(h)
            for p in 0..<hashCount {
                let j = table.cellIndex(h, partition: p)
                table.cells[j].count &-= cell.count
                table.cells[j].keySum ^= item.key
                table.cells[j].versionSum ^= item.version
                table.cells[j].checkSum ^= c
                if table.isPure(j) { stack.append(j) }
            }
        }
        let peeled = onlyHere.count + onlyThere.count
        for cell in table.cells where !cell.isEmpty { return .failed(peeled: peeled) }
        return .complete(onlyHere: onlyHere, onlyThere: onlyThere)
    }

    func isPure(_ i: Int) -> Bool {
        let cell = cells[i]
        guard cell.count == 1 || cell.count == -1 else { return false }
        let h = Self.itemHash(cell.keySum, cell.versionSum)
        guard Self.check(h) == cell.checkSum else { return false }
        // The item must hash to this very cell in this cell's partition.
        return cellIndex(h, partition: i / partitionSize) == i
    }
}
