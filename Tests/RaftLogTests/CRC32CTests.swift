import Testing
@testable import RaftLog

/// Known answers from RFC 3720 (iSCSI), appendix B.4 "CRC Examples", and the
/// common check value for "123456789" (the CRC catalogue's CRC-32/ISCSI entry).
@Suite struct CRC32CTests {
    @Test func rfc3720Vectors() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
    }

    @Test func checkValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    /// Chaining: continuing a CRC over b equals the CRC of a followed by b, at every split.
    @Test func updateContinuesAChecksum() {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let whole = CRC32C.checksum(bytes)
        for split in [0, 1, 7, 8, 9, 63, 64, 150, 299, 300] {
            let head = CRC32C.checksum(bytes[..<split])
            let tail = Array(bytes[split...])
            #expect(tail.withUnsafeBytes { CRC32C.update(head, $0) } == whole)
        }
    }
}
