@testable import Clocks

/// Labels (node, counter) pairs the way `CausalClock.init(entries:)` takes them.
func entries(_ pairs: [(NodeID, UInt64)]) -> [(node: NodeID, counter: UInt64)] {
    pairs.map { (node: $0.0, counter: $0.1) }
}
