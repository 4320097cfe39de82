extension TokenRing {
    /// Dynamo's preference list (DeCandia et al., SOSP 2007, §4.3): the
    /// first `count` distinct nodes met walking clockwise from the key's
    /// position, skipping further tokens of nodes already chosen. Asking for
    /// more than N gives the fallback nodes a sloppy quorum uses, in order.
    ///
    /// - Complexity: O(log t + t) worst case for t tokens (one binary search,
    ///   then a walk that stops after `count` distinct owners); allocates the result.
    public func preferenceList(forKeyHash keyHash: UInt64, count: Int) -> [Int] {
        let wanted = Swift.min(count, nodeCount)
        var chosen: [Int] = []
        chosen.reserveCapacity(wanted)
        var index = tokens.withUnsafeBufferPointer { TokenRing.firstIndex(atOrAfter: keyHash, in: $0) }
        var steps = 0
        while chosen.count < wanted && steps < tokens.count {
            let owner = Int(owners[index])
            if !chosen.contains(owner) { chosen.append(owner) }
            index = index + 1 == tokens.count ? 0 : index + 1
            steps += 1
        }
        return chosen
    }
}
