/// A CSV table as the lab writes it: one header row of snake_case column
/// names, then one row per configuration point, fields quoted per RFC 4180
/// only when they must be (a comma, a double quote, CR or LF inside).
public struct CSVTable: Sendable, Equatable {
    public let columns: [String]
    public private(set) var rows: [[String]]

    public init(columns: [String], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// Appends a row; it must have one cell per column.
    public mutating func append(_ row: [String]) {
        precondition(row.count == columns.count, "a CSV row needs \(columns.count) cells, got \(row.count)")
        rows.append(row)
    }

    /// The table as CSV text, with a trailing newline.
    public func rendered() -> String {
        var out = CSVTable.line(columns)
        for row in rows { out += CSVTable.line(row) }
        return out
    }

    static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\n"
    }

    /// RFC 4180 quoting: wrap in double quotes and double any inner quote.
    public static func escape(_ field: String) -> String {
        let needsQuotes = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Why a CSV text is not a table, and on which line (1-based, counting
    /// physical lines, so a quoted field spanning lines counts them all).
    public struct ParseProblem: Error, Equatable, CustomStringConvertible {
        public let line: Int
        public let problem: String
        public var description: String { "line \(line): \(problem)" }
    }

    /// Parses CSV text written by ``rendered()`` (RFC 4180 quoting), for
    /// tests and for tools that compare a run with the committed reference.
    /// Nil when the text is not a table; ``parseChecked(_:)`` says why.
    public static func parse(_ text: String) -> CSVTable? {
        try? parseChecked(text)
    }

    /// As ``parse(_:)``, throwing a ``ParseProblem`` that names the line:
    /// an open quote (the line it opened on), a row whose cell count differs
    /// from the header's, or no header at all. Lines end with LF or CRLF.
    /// - Complexity: O(characters).
    public static func parseChecked(_ text: String) throws(ParseProblem) -> CSVTable {
        var records: [(line: Int, cells: [String])] = []
        var field = ""
        var record: [String] = []
        var inQuotes = false
        var line = 1, recordLine = 1, quoteLine = 1
        var iterator = text.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
            } else if c == "\"" {
                inQuotes = true
                quoteLine = line
            } else if c == "," {
                record.append(field)
                field = ""
            } else if c == "\n" || c == "\r\n" {
                record.append(field)
                records.append((recordLine, record))
                record = []
                field = ""
                line += 1
                recordLine = line
            } else {
                field.append(c)
            }
        }
        if inQuotes { throw ParseProblem(line: quoteLine, problem: "a quoted field opened here is never closed") }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append((recordLine, record))
        }
        guard let header = records.first else { throw ParseProblem(line: 1, problem: "empty; expected a header row") }
        let body = records.dropFirst()
        if let ragged = body.first(where: { $0.cells.count != header.cells.count }) {
            throw ParseProblem(line: ragged.line, problem: "\(ragged.cells.count) cells; the header has \(header.cells.count) columns")
        }
        return CSVTable(columns: header.cells, rows: body.map(\.cells))
    }
}
