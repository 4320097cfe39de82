/// `--shard I/N`: this process measures the I-th of N disjoint parts of the
/// grid (1-based). A grid point belongs to shard
/// `(position + h) mod N + 1`, where `position` is the point's place in
/// the experiment's own, deterministic order of points and `h` a stable
/// hash of the experiment's name, so consecutive points go to different
/// shards and experiments with a single point spread over shards too. The
/// assignment depends on nothing but the experiment, the point's position
/// and N, so N independent processes on N machines agree on it without
/// talking to each other.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `I/N` with 1 ≤ I ≤ N; nil otherwise.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else { return nil }
        self.init(index: i, count: n)
    }

    /// Whether the point at `position` of `experiment` belongs to this shard.
    public func owns(position: Int, of experiment: String) -> Bool {
        Shard.owner(position: position, of: experiment, shards: count) == index
    }

    /// The shard (1-based) that measures the point at `position` of `experiment`.
    public static func owner(position: Int, of experiment: String, shards: Int) -> Int {
        Int((UInt64(position) &+ XXHashLabel.hash(experiment)) % UInt64(shards)) + 1
    }

    public var description: String { "\(index)/\(count)" }
}
