/// "How stale" for a whole history, key by key: the smallest Δ of
/// ``DeltaAtomicity`` and the versions-behind distribution of
/// ``VersionsBehind``, for keys whose written values are unique.
public struct StalenessReport: Sendable {
    public struct Key: Sendable {
        public let key: HistoryKey
        public let delta: DeltaAtomicity.Result
        /// Reads per versions behind; nil when written values repeat.
        public let versionsBehind: [Int]?
        /// Exact 2-atomicity (``TwoAtomicity``).
        public let twoAtomic: TwoAtomicity.Verdict
    }

    public var keys: [Key] = []
    /// Δ is in nanoseconds (every event had a time), else in events.
    public var deltaInNanoseconds = false

    /// Measures every key of `history`; `twoAtomicStepBudget` bounds the
    /// 2-atomicity search of a key the cheap verdicts leave open (operations
    /// scanned; see ``TwoAtomicity``).
    /// - Complexity: O(n log n · log T) for n operations and time span T,
    ///   plus at most `twoAtomicStepBudget` operations scanned per key.
    public init(_ history: History, twoAtomicStepBudget: Int = 50_000_000) throws {
        self.init(history, keyed: try KeyedOperations(history), twoAtomicStepBudget: twoAtomicStepBudget)
    }

    /// The same, on `history`'s operations already split by key (the split
    /// the linearizability check used: the history is paired once).
    public init(_ history: History, keyed: KeyedOperations, twoAtomicStepBudget: Int = 50_000_000) {
        let (times, inNanoseconds) = DeltaAtomicity.times(of: history)
        deltaInNanoseconds = inNanoseconds
        keys.reserveCapacity(keyed.keys.count)
        for (key, ops) in zip(keyed.keys, keyed.searchable) {
            keys.append(Key(key: key, delta: DeltaAtomicity.smallestDelta(ops, time: { times[$0] }),
                            versionsBehind: VersionsBehind.histogram(ops),
                            twoAtomic: TwoAtomicity.check(ops, stepBudget: twoAtomicStepBudget)))
        }
    }

    /// Finite Δ over measured keys, ascending.
    public var deltas: [Int64] {
        keys.compactMap { if case .delta(let d) = $0.delta { return d } else { return nil } }.sorted()
    }

    /// The largest finite Δ; nil when no key was measured or none has one.
    public var maxDelta: Int64? { deltas.last }

    /// ``maxDelta`` in milliseconds, for CSV columns; nil when no key has a
    /// finite Δ or the history carries no times.
    public var maxDeltaMilliseconds: Double? {
        guard deltaInNanoseconds, let d = maxDelta else { return nil }
        return Double(d) / 1e6
    }

    /// Keys no Δ makes atomic.
    public var neverKeys: Int { keys.filter { $0.delta == .never }.count }

    /// Reads per versions behind, over every measured key.
    public var versionsBehind: [Int] {
        var total: [Int] = []
        for k in keys {
            for (behind, count) in (k.versionsBehind ?? []).enumerated() {
                if total.count <= behind { total += [Int](repeating: 0, count: behind - total.count + 1) }
                total[behind] += count
            }
        }
        return total
    }

    /// Most versions behind of any read (0 when no read was measured).
    public var maxVersionsBehind: Int { max(versionsBehind.count - 1, 0) }

    /// Keys per 2-atomicity verdict.
    public func keys(_ verdict: TwoAtomicity.Verdict) -> [HistoryKey] {
        keys.filter { $0.twoAtomic == verdict }.map(\.key)
    }

    /// Two lines (and up to `maxKeys` stale keys): Δ per key and its
    /// distribution over keys, then the versions-behind distribution.
    public func rendered(maxKeys: Int = 5) -> String {
        let unit = deltaInNanoseconds ? " ns" : " events"
        let measured = keys.filter { $0.delta != .notApplicable }
        guard !measured.isEmpty else {
            return "staleness: not measured (every key writes some value twice, so reads cannot be mapped to writes)\n"
        }
        let d = deltas
        let stale = measured.filter { if case .delta(let x) = $0.delta { return x > 0 } else { return true } }
            .sorted { a, b in
                switch (a.delta, b.delta) {
                case (.never, .never): return a.key < b.key
                case (.never, _): return true
                case (_, .never): return false
                case (.delta(let x), .delta(let y)): return x != y ? x > y : a.key < b.key
                default: return a.key < b.key
                }
            }
        var out = "staleness (Δ-atomicity, Golab, Li & Shah 2011; Δ in\(unit)): \(measured.count - stale.count) keys Δ = 0"
        if !d.isEmpty {
            // Nearest rank: the smallest Δ with at least a fraction p of the keys at or below it.
            func q(_ p: Double) -> Int64 { d[max(0, min(d.count - 1, Int((p * Double(d.count)).rounded(.up)) - 1))] }
            out += "; Δ over keys: median \(q(0.5)), p99 \(q(0.99)), max \(d.last!)"
        }
        if neverKeys > 0 { out += "; \(neverKeys) keys with no Δ (a read saw a value never written, or before its write began)" }
        let skipped = keys.count - measured.count
        if skipped > 0 { out += "; \(skipped) keys not measured (repeated written values)" }
        out += "\n"
        for k in stale.prefix(maxKeys) {
            switch k.delta {
            case .delta(let x): out += "  key \(k.key): Δ = \(x)\(unit)\n"
            default: out += "  key \(k.key): no Δ\n"
            }
        }
        if stale.count > maxKeys { out += "  … and \(stale.count - maxKeys) more stale keys\n" }
        let vb = versionsBehind
        out += "versions behind (reads; a lower bound — newer writes certainly between the write read and the read): "
            + vb.enumerated().map { "\($0.offset): \($0.element)" }.joined(separator: ", ") + "\n"
        let not2 = keys(.notTwoAtomic), unknown2 = keys(.unknown)
        out += "2-atomicity (exact; Golab, Hurwitz & Li 2013's definition): \(keys(.twoAtomic).count) keys 2-atomic, \(not2.count) not 2-atomic"
            + (unknown2.isEmpty ? "" : ", \(unknown2.count) unknown (search budget)") + "\n"
        if !not2.isEmpty {
            out += "  not 2-atomic: keys " + not2.prefix(maxKeys).map { "\($0)" }.joined(separator: ", ") + (not2.count > maxKeys ? ", …" : "") + "\n"
        }
        if !unknown2.isEmpty {
            out += "  2-atomicity unknown: keys " + unknown2.prefix(maxKeys).map { "\($0)" }.joined(separator: ", ") + (unknown2.count > maxKeys ? ", …" : "") + "\n"
        }
        return out
    }
}
