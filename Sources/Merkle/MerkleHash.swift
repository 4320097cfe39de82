import Crypto
import Foundation
import Hashing

/// A node digest: a fixed-width value that two replicas compare and that the
/// XOR-combined trees fold with `^`.
public protocol MerkleDigest: Equatable, Sendable, BitwiseCopyable {
    /// The all-zero digest, the XOR identity (an empty leaf of an XOR tree).
    static var zero: Self { get }
    /// Bytes on the wire for one digest.
    static var byteCount: Int { get }
    static func ^ (lhs: Self, rhs: Self) -> Self
}

/// A 256-bit digest held as four words, so XOR and comparison are four
/// machine operations.
public struct Digest256: MerkleDigest, Hashable {
    public var w0, w1, w2, w3: UInt64

    @inlinable public init(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        self.w0 = w0; self.w1 = w1; self.w2 = w2; self.w3 = w3
    }

    public static var zero: Digest256 { Digest256(0, 0, 0, 0) }
    public static var byteCount: Int { 32 }

    @inlinable public static func ^ (lhs: Digest256, rhs: Digest256) -> Digest256 {
        Digest256(lhs.w0 ^ rhs.w0, lhs.w1 ^ rhs.w1, lhs.w2 ^ rhs.w2, lhs.w3 ^ rhs.w3)
    }
}

extension UInt64: MerkleDigest {
    public static var byteCount: Int { 8 }
}

/// The hash a tree uses for item hashes, leaf digests and inner nodes.
///
/// Conformers are caseless enums so generic tree code is specialised per
/// hash and the hash call inlines into the build loop.
public protocol MerkleHashFunction: Sendable {
    associatedtype Digest: MerkleDigest
    /// Short name used in CSV rows (`sha256`, `xxh64`).
    static var name: String { get }
    /// The digest of a byte range.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> Digest
    /// The digest of one (key, version) pair, as its 16 little-endian bytes.
    static func hash(key: UInt64, version: UInt64) -> Digest
}

/// SHA-256 (FIPS 180-4) through swift-crypto: the cryptographic option, for
/// replicas that must not be fooled by crafted collisions. Measured in
/// `merkle-build`: about 30 × slower than xxHash64 per 16-byte item.
///
/// - Complexity: O(n) in the input length; on Linux swift-crypto allocates one
///   hasher context per call (2 mallocs per XOR-tree update in `MerkleBenchmarks`).
public enum SHA256Hash: MerkleHashFunction {
    public static var name: String { "sha256" }

    @inlinable
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> Digest256 {
        var hasher = SHA256()
        hasher.update(bufferPointer: bytes)
        let digest = hasher.finalize()
        return digest.withUnsafeBytes { raw in
            Digest256(
                raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        }
    }

    @inlinable
    public static func hash(key: UInt64, version: UInt64) -> Digest256 {
        withUnsafeBytes(of: (key.littleEndian, version.littleEndian)) { hash($0) }
    }
}

/// xxHash64 from `Hashing`: the fast non-cryptographic option (64-bit
/// digests, so also a quarter of SHA-256's bytes on the wire). Collisions
/// are not adversarially hard, so it suits replicas that trust each other.
///
/// - Complexity: O(n) in the input length, no allocation.
public enum XXH64Hash: MerkleHashFunction {
    public static var name: String { "xxh64" }

    @inlinable
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        XXHash64.hash(bytes)
    }

    @inlinable
    public static func hash(key: UInt64, version: UInt64) -> UInt64 {
        withUnsafeBytes(of: (key.littleEndian, version.littleEndian)) { XXHash64.hash($0) }
    }
}
