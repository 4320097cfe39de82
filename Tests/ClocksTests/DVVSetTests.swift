import Testing
@testable import Clocks

/// The published DVVSet examples: the EUnit tests of the reference
/// implementation, `dvvset.erl` by Ricardo Tomé Gonçalves and Paulo Sérgio
/// Almeida (github.com/ricardobcl/Dotted-Version-Vectors, src/dvvset.erl;
/// the same module ships in basho/riak_core and riak_dt). Erlang atoms are
/// node ordinals in alphabetical order (a = 1, b = 2, c = 3, d = 4, x = 24,
/// z = 26), which keeps the reference's entry order; values are strings.
@Suite struct DVVSetTests {
    typealias Clock = DVVSet<String>
    static let a: NodeID = 1, b: NodeID = 2, c: NodeID = 3, d: NodeID = 4, x: NodeID = 24, z: NodeID = 26
    /// `less_test` uses the list `[a]` as an id; Erlang orders lists after atoms.
    static let listA: NodeID = 100

    static func e(_ node: NodeID, _ counter: UInt64, _ values: [String]) -> Clock.Entry {
        Clock.Entry(node: node, counter: counter, values: values)
    }
    static func clock(_ entries: [Clock.Entry], _ anonymous: [String] = []) -> Clock {
        Clock(entries: entries, anonymous: anonymous)
    }
    static func pairs(_ context: [(node: NodeID, counter: UInt64)]) -> [String] { context.map { "\($0.node):\($0.counter)" } }

    // join_test
    @Test func join() {
        let A = Clock(values: ["v1"])
        let A1 = A.update(by: Self.a)
        let B = Clock(context: A1.context, values: ["v2"])
        let B1 = B.update(with: A1, by: Self.b)
        #expect(A.context.isEmpty)
        #expect(Self.pairs(A1.context) == ["1:1"])
        #expect(Self.pairs(B1.context) == ["1:1", "2:1"])
    }

    // update_test
    @Test func update() {
        let (a, b) = (Self.a, Self.b)
        let A0 = Clock(values: ["v1"]).update(by: a)
        let A1 = Clock(context: A0.context, values: ["v2"]).update(with: A0, by: a)
        let A2 = Clock(context: A1.context, values: ["v3"]).update(with: A1, by: b)
        let A3 = Clock(context: A0.context, values: ["v4"]).update(with: A1, by: b)
        let A4 = Clock(context: A0.context, values: ["v5"]).update(with: A1, by: a)
        #expect(A0 == Self.clock([Self.e(a, 1, ["v1"])]))
        #expect(A1 == Self.clock([Self.e(a, 2, ["v2"])]))
        #expect(A2 == Self.clock([Self.e(a, 2, []), Self.e(b, 1, ["v3"])]))
        #expect(A3 == Self.clock([Self.e(a, 2, ["v2"]), Self.e(b, 1, ["v4"])]))
        #expect(A4 == Self.clock([Self.e(a, 3, ["v5", "v2"])]))
    }

    // sync_test (without its lww/2 line: lww is not implemented here)
    @Test func sync() {
        let (a, b, c) = (Self.a, Self.b, Self.c)
        let X = Self.clock([Self.e(Self.x, 1, [])])
        let A = Clock(values: ["v1"]).update(by: a)
        let Y = Clock(values: ["v2"]).update(by: b)
        let A1 = Clock(context: A.context, values: ["v2"]).update(by: a)
        let A3 = Clock(context: A1.context, values: ["v3"]).update(by: b)
        let A4 = Clock(context: A1.context, values: ["v3"]).update(by: c)
        let W = Self.clock([Self.e(a, 1, [])])
        let Z = Self.clock([Self.e(a, 2, ["v2", "v1"])])
        #expect(Clock.sync([W, Z]) == Self.clock([Self.e(a, 2, ["v2"])]))
        #expect(Clock.sync([W, Z]) == Clock.sync([Z, W]))
        #expect(Clock.sync([A, A1]) == Clock.sync([A1, A]))
        #expect(Clock.sync([A4, A3]) == Clock.sync([A3, A4]))
        #expect(Clock.sync([A4, A3]) == Self.clock([Self.e(a, 2, []), Self.e(b, 1, ["v3"]), Self.e(c, 1, ["v3"])]))
        #expect(Clock.sync([X, A]) == Self.clock([Self.e(a, 1, ["v1"]), Self.e(Self.x, 1, [])]))
        #expect(Clock.sync([X, A]) == Clock.sync([A, X]))
        #expect(Clock.sync([A, Y]) == Self.clock([Self.e(a, 1, ["v1"]), Self.e(b, 1, ["v2"])]))
        #expect(Clock.sync([Y, A]) == Clock.sync([A, Y]))
    }

    // sync_update_test: Mary and Peter write the same key through node a.
    @Test func syncUpdate() {
        let a = Self.a
        let A0 = Clock(values: ["v1"]).update(by: a)                           // Mary writes v1 without context
        let VV1 = A0.context                                                    // Peter reads v1 with its context
        let A1 = Clock(values: ["v2"]).update(with: A0, by: a)                  // Mary writes v2 without context
        let A2 = Clock(context: VV1, values: ["v3"]).update(with: A1, by: a)    // Peter writes v3 with v1's context
        #expect(Self.pairs(VV1) == ["1:1"])
        #expect(A0 == Self.clock([Self.e(a, 1, ["v1"])]))
        #expect(A1 == Self.clock([Self.e(a, 2, ["v2", "v1"])]))
        // v3 overwrites v1 (Peter saw it) but not v2 (he did not).
        #expect(A2 == Self.clock([Self.e(a, 3, ["v3", "v2"])]))
    }

    // event_test
    @Test func event() {
        let A = Clock(values: ["v1"]).update(by: Self.a).entries
        #expect(Clock.event(A, Self.a, "v2") == [Self.e(Self.a, 2, ["v2", "v1"])])
        #expect(Clock.event(A, Self.b, "v2") == [Self.e(Self.a, 1, ["v1"]), Self.e(Self.b, 1, ["v2"])])
    }

    // less_test
    @Test func less() {
        let A = Clock(values: ["v1"]).update(by: Self.listA)
        let B = Clock(context: A.context, values: ["v2"]).update(by: Self.a)
        let B2 = Clock(context: A.context, values: ["v2"]).update(by: Self.b)
        let B3 = Clock(context: A.context, values: ["v2"]).update(by: Self.z)
        let C = Clock(context: B.context, values: ["v3"]).update(with: A, by: Self.c)
        let D = Clock(context: C.context, values: ["v4"]).update(with: B2, by: Self.d)
        #expect(A.isCausallyBefore(B))
        #expect(A.isCausallyBefore(C))
        #expect(B.isCausallyBefore(C))
        #expect(B.isCausallyBefore(D))
        #expect(B2.isCausallyBefore(D))
        #expect(A.isCausallyBefore(D))
        #expect(!B2.isCausallyBefore(C))
        #expect(!B.isCausallyBefore(B2))
        #expect(!B2.isCausallyBefore(B))
        #expect(!A.isCausallyBefore(A))
        #expect(!C.isCausallyBefore(C))
        #expect(!D.isCausallyBefore(B2))
        #expect(!B3.isCausallyBefore(D))
    }

    // equal_test
    @Test func equal() {
        let (a, b, c) = (Self.a, Self.b, Self.c)
        let A = Self.clock([Self.e(a, 4, ["v5", "v0"]), Self.e(b, 0, []), Self.e(c, 1, ["v3"])], ["v0"])
        let B = Self.clock([Self.e(a, 4, ["v555", "v0"]), Self.e(b, 0, []), Self.e(c, 1, ["v3"])])
        let C = Self.clock([Self.e(a, 4, ["v5", "v0"]), Self.e(b, 0, [])], ["v6", "v1"])
        #expect(A.causallyEqual(B) && B.causallyEqual(A))
        #expect(!A.causallyEqual(C) && !B.causallyEqual(C))
    }

    // size_test and ids_values_test
    @Test func sizeIdsAndValues() {
        let (a, b, c) = (Self.a, Self.b, Self.c)
        #expect(Clock(values: ["v1"]).size == 1)
        #expect(Self.clock([Self.e(a, 4, ["v5", "v0"]), Self.e(b, 0, []), Self.e(c, 1, ["v3"])], ["v4", "v1"]).size == 5)
        let A = Self.clock([Self.e(a, 4, ["v0", "v5"]), Self.e(b, 0, []), Self.e(c, 1, ["v3"])], ["v1"])
        let B = Self.clock([Self.e(a, 4, ["v0", "v555"]), Self.e(b, 0, []), Self.e(c, 1, ["v3"])])
        let C = Self.clock([Self.e(a, 4, []), Self.e(b, 0, [])], ["v1", "v6"])
        #expect(A.ids == [a, b, c] && B.ids == [a, b, c] && C.ids == [a, b])
        #expect(A.values.sorted() == ["v0", "v1", "v3", "v5"])
        #expect(B.values.sorted() == ["v0", "v3", "v555"])
        #expect(C.values.sorted() == ["v1", "v6"])
    }

    /// A Dynamo-style key on one coordinator: two clients write with the same
    /// (empty) context, so both values survive as siblings; a client that
    /// read both writes again with their joint context and the siblings
    /// collapse to its value.
    @Test func siblingsAppearOnConcurrentWritesAndCollapseAfterACausalWrite() {
        var server = Clock(values: ["initial"]).update(by: Self.a)
        let context = server.context
        server = Clock(context: context, values: ["from-alice"]).update(with: server, by: Self.a)
        server = Clock(context: context, values: ["from-bob"]).update(with: server, by: Self.a)
        #expect(server.values.sorted() == ["from-alice", "from-bob"])
        #expect(server.size == 2)
        // A replica that took bob's write through node b also keeps both after sync.
        let replica = Clock(context: context, values: ["from-carol"]).update(with: Self.clock([Self.e(Self.a, 1, ["initial"])]), by: Self.b)
        let synced = server.synced(with: replica)
        #expect(synced.values.sorted() == ["from-alice", "from-bob", "from-carol"])
        // Reading all siblings and writing with their context resolves them.
        let resolved = Clock(context: synced.context, values: ["merged"]).update(with: synced, by: Self.a)
        #expect(resolved.values == ["merged"])
        #expect(synced.isCausallyBefore(resolved))
    }
}
