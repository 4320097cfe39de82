import HashRing

/// Which protocol core a cluster runs.
public enum ReplicationProtocol: String, Sendable, CaseIterable {
    /// Dynamo-style quorums (``DynamoNode``): R, W, read repair, sloppy quorums.
    case dynamo
    /// Majority reads with write-back (``ABDNode``): linearizable.
    case abd
}

/// A node running either core, for runtimes that drive both without an
/// existential: one optional per core, mutated in place.
///
/// - Complexity: one branch over the core's own step.
public struct ReplicaNode: Sendable {
    public private(set) var dynamo: DynamoNode?
    public private(set) var abd: ABDNode?

    public init(_ protocolKind: ReplicationProtocol, id: NodeID, configuration: QuorumConfiguration, ring: TokenRing, clockSkewNanoseconds: Int64 = 0) {
        precondition(protocolKind == .dynamo || configuration.versioning == .lww, "ABD orders writes by its own tags; versioning applies to the Dynamo core")
        switch protocolKind {
        case .dynamo: dynamo = DynamoNode(id: id, configuration: configuration, ring: ring, clockSkewNanoseconds: clockSkewNanoseconds)
        case .abd: abd = ABDNode(id: id, configuration: configuration, ring: ring)
        }
    }

    public mutating func step(now: Int64, _ input: Input) -> [Effect] {
        if dynamo != nil { return dynamo!.step(now: now, input) }
        return abd!.step(now: now, input)
    }

    public mutating func crash() {
        if dynamo != nil { dynamo!.crash() } else { abd!.crash() }
    }

    /// What this node holds for `key`.
    public func state(of key: UInt64) -> Versioned? {
        if let dynamo { return dynamo.store[key] }
        return abd!.store[key].map(Versioned.lww)
    }

    public func preferenceList(for key: UInt64) -> [NodeID] {
        dynamo?.preferenceList(for: key) ?? abd!.preferenceList(for: key)
    }
}

extension Array<ReplicaNode> {
    /// The merge of every node's state for `key`: what the cluster holds of it.
    public func mergedState(of key: UInt64) -> Versioned? {
        reduce(nil as Versioned?) { merged, node in
            guard let state = node.state(of: key) else { return merged }
            return merged.map { $0.merged(with: state) } ?? state
        }
    }
}
