import Stats

/// Seeded random mutation of byte strings, in the manner of libFuzzer's and
/// AFL's havoc stage (Zalewski, "american fuzzy lop" technical notes): flip
/// bits, set bytes to boundary values, insert, delete, duplicate or splice
/// chunks, and insert tokens that parsers treat specially (brackets, quotes,
/// line endings, numbers at the edge of a type). Deterministic per seed.
///
/// - Complexity: O(input length) per mutation.
struct Mutator {
    var rng: Xoshiro256StarStar
    /// Tokens each target adds to the generic ones (keys, keywords).
    let dictionary: [[UInt8]]
    /// The largest input produced; bigger results are cut back.
    let maxLength: Int

    static let genericTokens: [String] = [
        "\r\n", "\n", "\r", "\0", "\"", "'", "\\", ",", ":", ";", "#", "[", "]", "{", "}", "(", ")", "-", "+",
        "nan", "NaN", "inf", "-inf", "1e308", "-1", "0", "-0", "4294967296", "9223372036854775807", "18446744073709551616",
        "1e-320", "0x10", "true", "false", "null", "~", "&a", "*a", "!!str", "---", "...", "- ", ": ", "\t", " ",
        "\u{FEFF}", "\u{FFFD}", "\u{10FFFF}",
    ]

    init(seed: UInt64, dictionary: [String], maxLength: Int) {
        rng = Xoshiro256StarStar(seed: seed)
        self.dictionary = (Self.genericTokens + dictionary).map { Array($0.utf8) } + [[0xFF], [0xC3], [0xED, 0xA0, 0x80]]
        self.maxLength = maxLength
    }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(rng.next() % UInt64(n)) }

    /// One to eight stacked mutations of `input`; `other` is a second corpus entry to splice from.
    mutating func mutate(_ input: [UInt8], other: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + below(8)) { step(&bytes, other: other) }
        if bytes.count > maxLength { bytes.removeLast(bytes.count - maxLength) }
        return bytes
    }

    private mutating func step(_ bytes: inout [UInt8], other: [UInt8]) {
        let position = below(bytes.count + 1)
        switch below(10) {
        case 0 where !bytes.isEmpty: // flip a bit
            let i = below(bytes.count)
            bytes[i] ^= 1 << UInt8(below(8))
        case 1 where !bytes.isEmpty: // a boundary byte
            bytes[below(bytes.count)] = [0, 0x7F, 0x80, 0xFF, 0x20, 0x0A, 0x0D, 0x22][below(8)]
        case 2 where !bytes.isEmpty: // delete a chunk
            let start = below(bytes.count)
            bytes.removeSubrange(start..<min(bytes.count, start + 1 + below(16)))
        case 3 where !bytes.isEmpty: // duplicate a chunk, sometimes many times (deep nesting, long lines)
            let start = below(bytes.count)
            let chunk = Array(bytes[start..<min(bytes.count, start + 1 + (below(2) == 0 ? 0 : below(32)))])
            // Single bytes (an opening bracket) up to tens of thousands of times: deep nesting.
            let times = below(4) != 0 ? 1 : chunk.count == 1 ? 1 + below(60_000) : 1 + below(2_000)
            let repeated = Array([[UInt8]](repeating: chunk, count: times).joined())
            bytes.insert(contentsOf: repeated.prefix(maxLength), at: position)
        case 4 where !other.isEmpty: // splice from another input
            let start = below(other.count)
            bytes.insert(contentsOf: other[start..<min(other.count, start + 1 + below(64))], at: position)
        case 5 where !bytes.isEmpty: // replace a digit run with an edge number
            if let digit = bytes.indices.dropFirst(below(bytes.count)).first(where: { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }) {
                var end = digit
                while end < bytes.count, bytes[end] >= 0x30 && bytes[end] <= 0x39 || bytes[end] == 0x2E { end += 1 }
                let numbers = ["0", "-1", "1e308", "nan", "99999999999999999999", "100000000", "3.5", "-0.0", "2147483648"]
                bytes.replaceSubrange(digit..<end, with: Array(numbers[below(numbers.count)].utf8))
            }
        case 6: // truncate
            bytes.removeSubrange(position..<bytes.count)
        default: // insert a token
            bytes.insert(contentsOf: dictionary[below(dictionary.count)], at: position)
        }
    }
}
