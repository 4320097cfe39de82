/// The initiator side of the Merkle diff: a pure state machine. It sends
/// its digests level by level, follows the responder's mismatch answers
/// down to the leaves, then exchanges the items of the differing leaf
/// ranges and works out which keys truly differ.
///
/// - Complexity: O(nodes compared + items in differing ranges) time and
///   messages; one round trip per level visited plus one for the items.
public struct DiffInitiator<Tree: MerkleTree>: Sendable {
    public typealias Message = DiffMessage<Tree.Digest>
    public let tree: Tree
    public let store: LeafIndex
    /// Node indices at the current level still being compared.
    var frontier: ContiguousArray<Int32> = [0]
    public private(set) var differingLeaves: [Int] = []
    public private(set) var localItems: ContiguousArray<Item> = []
    public private(set) var remoteItems: ContiguousArray<Item> = []
    public private(set) var isFinished = false

    /// - Precondition: `store` has the tree's shape.
    public init(tree: Tree, store: LeafIndex) {
        precondition(tree.shape == store.shape, "tree and store shapes differ")
        self.tree = tree
        self.store = store
    }

    /// The first message: the root digest.
    public func start() -> Message { .digests(level: 0, [tree.root]) }

    /// Handles the responder's answer; returns the next message, or nil when
    /// the diff is over.
    public mutating func receive(_ message: Message) -> Message? {
        switch message {
        case .mismatches(let level, let bits):
            precondition(bits.count == frontier.count, "answer does not match the frontier")
            var differing = ContiguousArray<Int32>()
            for (i, node) in frontier.enumerated() where bits[i] { differing.append(node) }
            if differing.isEmpty {
                isFinished = true
                return nil
            }
            if level == tree.shape.depth {
                differingLeaves = differing.map(Int.init)
                localItems = itemsIn(differingLeaves, of: store)
                return .items(localItems)
            }
            frontier = children(of: differing, fanoutBits: tree.shape.fanoutBits)
            let start = tree.levelStart(level + 1)
            let digests = ContiguousArray(frontier.map { tree.nodes[start + Int($0)] })
            return .digests(level: level + 1, digests)
        case .responderItems(let items):
            remoteItems = items
            isFinished = true
            return nil
        case .digests, .items:
            preconditionFailure("the initiator does not receive \(message)")
        }
    }

    /// Keys whose (key, version) differs between the two replicas within the
    /// exchanged ranges: present on one side only, or with other versions.
    /// Both lists are in (leaf, key) order, so this is one merge pass.
    public var differingKeys: [UInt64] {
        var result: [UInt64] = []
        var i = 0, j = 0
        let a = localItems, b = remoteItems
        let shape = tree.shape
        func order(_ x: Item) -> (Int, UInt64) { (shape.leaf(forKey: x.key), x.key) }
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && order(a[i]) < order(b[j])) {
                result.append(a[i].key); i += 1
            } else if i == a.count || order(b[j]) < order(a[i]) {
                result.append(b[j].key); j += 1
            } else {
                if a[i].version != b[j].version { result.append(a[i].key) }
                i += 1; j += 1
            }
        }
        return result
    }
}

/// The responder side of the Merkle diff: compares the digests it is sent
/// with its own and answers with the mismatches; at the end it returns its
/// items in the differing ranges. A pure state machine.
public struct DiffResponder<Tree: MerkleTree>: Sendable {
    public typealias Message = DiffMessage<Tree.Digest>
    public let tree: Tree
    public let store: LeafIndex
    var frontier: ContiguousArray<Int32> = [0]
    var lastMismatches: ContiguousArray<Int32> = []
    public private(set) var nodesCompared = 0

    public init(tree: Tree, store: LeafIndex) {
        precondition(tree.shape == store.shape, "tree and store shapes differ")
        self.tree = tree
        self.store = store
    }

    public mutating func receive(_ message: Message) -> Message {
        switch message {
        case .digests(let level, let digests):
            if level > 0 { frontier = children(of: lastMismatches, fanoutBits: tree.shape.fanoutBits) }
            precondition(digests.count == frontier.count, "digests do not match the frontier")
            let start = tree.levelStart(level)
            var bits = [Bool](repeating: false, count: digests.count)
            lastMismatches.removeAll(keepingCapacity: true)
            tree.nodes.withUnsafeBufferPointer { nodes in
                for i in 0..<digests.count where nodes[start &+ Int(frontier[i])] != digests[i] {
                    bits[i] = true
                    lastMismatches.append(frontier[i])
                }
            }
            nodesCompared += digests.count
            return .mismatches(level: level, bits)
        case .items:
            return .responderItems(itemsIn(lastMismatches.map(Int.init), of: store))
        case .mismatches, .responderItems:
            preconditionFailure("the responder does not receive \(message)")
        }
    }
}

/// What one diff cost and found.
public struct DiffReport: Sendable, Equatable {
    public var roundTrips = 0
    public var bytesInitiatorToResponder = 0
    public var bytesResponderToInitiator = 0
    public var nodesCompared = 0
    /// Items sent both ways in the differing ranges.
    public var keysStreamed = 0
    /// Keys that truly differ (symmetric difference of (key, version) pairs, by key).
    public var differingKeys = 0
    public var differingLeaves: [Int] = []

    public init() {}

    public var bytesTotal: Int { bytesInitiatorToResponder + bytesResponderToInitiator }
}

public enum MerkleDiff {
    /// Runs the diff between two replicas over a lossless in-order link and
    /// counts round trips, bytes each way, nodes compared and keys streamed.
    ///
    /// - Complexity: O(nodes compared + items in differing ranges).
    public static func run<Tree: MerkleTree>(
        initiator: (tree: Tree, store: LeafIndex), responder: (tree: Tree, store: LeafIndex)
    ) -> DiffReport {
        var a = DiffInitiator(tree: initiator.tree, store: initiator.store)
        var b = DiffResponder(tree: responder.tree, store: responder.store)
        var report = DiffReport()
        var next: DiffMessage<Tree.Digest>? = a.start()
        while let request = next {
            report.bytesInitiatorToResponder += request.byteCount
            let answer = b.receive(request)
            report.bytesResponderToInitiator += answer.byteCount
            report.roundTrips += 1
            next = a.receive(answer)
        }
        report.nodesCompared = b.nodesCompared
        report.keysStreamed = a.localItems.count + a.remoteItems.count
        report.differingKeys = a.differingKeys.count
        report.differingLeaves = a.differingLeaves
        return report
    }
}

/// The children of `nodes` one level down, in order.
func children(of nodes: ContiguousArray<Int32>, fanoutBits: Int) -> ContiguousArray<Int32> {
    var result = ContiguousArray<Int32>()
    result.reserveCapacity(nodes.count << fanoutBits)
    for node in nodes {
        let first = Int32(truncatingIfNeeded: Int(node) << fanoutBits)
        for c in 0..<Int32(1 << fanoutBits) { result.append(first &+ c) }
    }
    return result
}

/// The items of `leaves` (ascending), in (leaf, key) order.
func itemsIn(_ leaves: [Int], of store: LeafIndex) -> ContiguousArray<Item> {
    var result = ContiguousArray<Item>()
    for leaf in leaves { result.append(contentsOf: store.items[store.range(ofLeaf: leaf)]) }
    return result
}
