import Foundation

/// Splitting text files into lines the same way on every input path: a line
/// ends at LF, CRLF or a lone CR. (A Swift `String` treats CRLF as one
/// `Character`, so `split(separator: "\n")` does not split a Windows file at
/// all; every reader goes through here instead.)
///
/// - Complexity: O(bytes), one pass; no copy of the bytes for ``byteLines(_:)``.
public enum TextLines {
    /// The lines of `text`, without their terminators; a final terminator
    /// does not add an empty line. Line `i` of the file is element `i - 1`.
    public static func lines(_ text: String) -> [Substring] {
        var result = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        if result.last?.isEmpty == true { result.removeLast() }
        return result
    }

    /// The lines of raw bytes (terminators LF, CRLF or CR removed), with no
    /// decoding: bytes that are not UTF-8 stay as they are.
    public static func byteLines(_ data: Data) -> [Data] {
        var result: [Data] = []
        var start = data.startIndex
        var i = data.startIndex
        while i < data.endIndex {
            let byte = data[i]
            if byte == 0x0A || byte == 0x0D {
                result.append(data[start..<i])
                if byte == 0x0D, data.index(after: i) < data.endIndex, data[data.index(after: i)] == 0x0A { i = data.index(after: i) }
                start = data.index(after: i)
            }
            i = data.index(after: i)
        }
        if start < data.endIndex { result.append(data[start..<data.endIndex]) }
        return result
    }
}
