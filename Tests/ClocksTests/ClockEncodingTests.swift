import Testing
@testable import Clocks

/// Known-answer vectors for the wire formats (unsigned LEB128 as specified
/// for Protocol Buffers: 300 encodes as AC 02) and the decoder's errors.
@Suite struct ClockEncodingTests {
    @Test func varintKnownAnswers() {
        var buffer: [UInt8] = []
        VarInt.append(300, to: &buffer)
        #expect(buffer == [0xAC, 0x02])
        #expect(VarInt.size(0) == 1 && VarInt.size(127) == 1 && VarInt.size(128) == 2)
        #expect(VarInt.size(UInt64.max) == 10)
    }

    @Test func denseEncoding() throws {
        let clock = DenseClock(counters: [1, 0, 300, 0, 0])
        // Slot count 3 (trailing zeros dropped), then each slot's counter.
        #expect(clock.encoded() == [3, 1, 0, 0xAC, 0x02])
        #expect(try DenseClock(decoding: [3, 1, 0, 0xAC, 0x02]) == clock)
    }

    @Test func sparseAndDictionaryEncoding() throws {
        let entries: [(node: NodeID, counter: UInt64)] = [(2, 1), (300, 5)]
        // Count 2; node 2, counter 1; node delta 298 (AA 02), counter 5.
        let expected: [UInt8] = [2, 2, 1, 0xAA, 0x02, 5]
        #expect(SparseClock(entries: entries).encoded() == expected)
        #expect(DictionaryClock(entries: entries).encoded() == expected)
        #expect(try SparseClock(decoding: expected) == SparseClock(entries: entries))
    }

    @Test func malformedInputNamesTheField() {
        #expect(throws: ClockDecodingError.truncated(field: "counter of entry 1", offset: 5)) {
            try SparseClock(decoding: [2, 2, 1, 0xAA, 0x02])
        }
        #expect(throws: ClockDecodingError.unsortedNode(node: 2, offset: 3)) {
            try SparseClock(decoding: [2, 2, 1, 0, 5])
        }
        #expect(throws: ClockDecodingError.trailingBytes(offset: 2, count: 1)) {
            try DenseClock(decoding: [1, 7, 9])
        }
        #expect(throws: ClockDecodingError.outOfRange(field: "slot count", value: 200, offset: 0)) {
            try DenseClock(decoding: [0xC8, 0x01, 1])
        }
        #expect(throws: ClockDecodingError.overlong(field: "slot count", offset: 0)) {
            try DenseClock(decoding: [UInt8](repeating: 0xFF, count: 11))
        }
        let error = ClockDecodingError.truncated(field: "counter of entry 1", offset: 5)
        #expect(error.description.contains("counter of entry 1") && error.description.contains("byte 5"))
    }
}
