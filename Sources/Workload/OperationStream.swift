import Foundation
import Stats

/// An open-loop stream of operations: Poisson arrivals at a rate, a
/// read/write mix, keys from a ``KeyDistribution``, and a client (session)
/// per operation so session guarantees can be checked.
///
/// Open loop (MEASUREMENT.md, practice 4): arrival times do not wait for
/// replies, so a slow system is charged for the queue it builds.
///
/// - Complexity: O(1) per operation, no allocation.
public struct OperationStream: Sendable {
    public struct Operation: Sendable, Equatable {
        public let arrivalNanoseconds: Int64
        public let isWrite: Bool
        public let key: UInt64
        public let client: Int
    }

    public let ratePerSecond: Double
    public let writeFraction: Double
    public let keys: KeyDistribution
    public let clients: Int
    var rng: Xoshiro256StarStar
    var now: Double = 0
    var newestWritten = 0

    public init(ratePerSecond: Double, writeFraction: Double, keys: KeyDistribution, clients: Int, rng: Xoshiro256StarStar) {
        precondition(ratePerSecond > 0 && (0...1).contains(writeFraction) && clients >= 1)
        self.ratePerSecond = ratePerSecond
        self.writeFraction = writeFraction
        self.keys = keys
        self.clients = clients
        self.rng = rng
    }

    /// The next operation; inter-arrival times are exponential with mean 1/rate.
    public mutating func next() -> Operation {
        now += -log1p(-rng.nextUnitDouble()) / ratePerSecond * 1e9
        let isWrite = rng.nextUnitDouble() < writeFraction
        let key = keys.next(&rng, newest: newestWritten)
        if isWrite { newestWritten = Int(key) }
        let client = Int(rng.next() % UInt64(clients))
        return Operation(arrivalNanoseconds: Int64(now), isWrite: isWrite, key: key, client: client)
    }
}
