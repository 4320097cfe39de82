/// xxHash64 (Yann Collet, XXH64 as specified in `doc/xxhash_spec.md` of the
/// reference implementation): a stable, seedable 64-bit hash that runs at
/// memory speed on long inputs and in a few nanoseconds on 8-byte keys.
///
/// It is the lab's placement hash: unlike Swift's `Hasher`, which is seeded
/// randomly per process, the same bytes and seed give the same value in every
/// process and on every machine, so rings built in two processes agree.
///
/// - Complexity: O(n) in the input length, no allocation.
public enum XXHash64 {
    @usableFromInline static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    @usableFromInline static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    @usableFromInline static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    @usableFromInline static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    @usableFromInline static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    /// The hash of a 64-bit key, equal to the hash of its 8 little-endian
    /// bytes. This is the fast path ring lookups use.
    @inlinable
    public static func hash(_ key: UInt64, seed: UInt64 = 0) -> UInt64 {
        var acc = seed &+ prime5 &+ 8
        acc ^= round(0, key.littleEndian)
        acc = rotl(acc, 27) &* prime1 &+ prime4
        return avalanche(acc)
    }

    /// The hash of a byte sequence.
    @inlinable
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let length = bytes.count
        var offset = 0
        var acc: UInt64
        if length >= 32 {
            var v1 = seed &+ prime1 &+ prime2
            var v2 = seed &+ prime2
            var v3 = seed
            var v4 = seed &- prime1
            while offset &+ 32 <= length {
                v1 = round(v1, read64(bytes, offset))
                v2 = round(v2, read64(bytes, offset &+ 8))
                v3 = round(v3, read64(bytes, offset &+ 16))
                v4 = round(v4, read64(bytes, offset &+ 24))
                offset &+= 32
            }
            acc = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            acc = mergeRound(acc, v1)
            acc = mergeRound(acc, v2)
            acc = mergeRound(acc, v3)
            acc = mergeRound(acc, v4)
        } else {
            acc = seed &+ prime5
        }
        acc &+= UInt64(length)
        while offset &+ 8 <= length {
            acc ^= round(0, read64(bytes, offset))
            acc = rotl(acc, 27) &* prime1 &+ prime4
            offset &+= 8
        }
        if offset &+ 4 <= length {
            acc ^= UInt64(read32(bytes, offset)) &* prime1
            acc = rotl(acc, 23) &* prime2 &+ prime3
            offset &+= 4
        }
        while offset < length {
            acc ^= UInt64(bytes[offset]) &* prime5
            acc = rotl(acc, 11) &* prime1
            offset &+= 1
        }
        return avalanche(acc)
    }

    /// The hash of a byte array.
    @inlinable
    public static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    /// The hash of a string's UTF-8 bytes.
    @inlinable
    public static func hash(_ string: String, seed: UInt64 = 0) -> UInt64 {
        var string = string
        return string.withUTF8 { hash(UnsafeRawBufferPointer($0), seed: seed) }
    }

    @inlinable @inline(__always)
    static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* prime2, 31) &* prime1
    }

    @inlinable @inline(__always)
    static func mergeRound(_ acc: UInt64, _ value: UInt64) -> UInt64 {
        (acc ^ round(0, value)) &* prime1 &+ prime4
    }

    @inlinable @inline(__always)
    static func avalanche(_ h: UInt64) -> UInt64 {
        var h = h
        h ^= h >> 33
        h &*= prime2
        h ^= h >> 29
        h &*= prime3
        h ^= h >> 32
        return h
    }

    @inlinable @inline(__always)
    static func read64(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inlinable @inline(__always)
    static func read32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inlinable @inline(__always)
    static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 &- k))
    }
}
