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

    /// Parses CSV text written by ``rendered()`` (RFC 4180 quoting), for
    /// tests and for tools that compare a run with the committed reference.
    public static func parse(_ text: String) -> CSVTable? {
        var records: [[String]] = []
        var field = ""
        var record: [String] = []
        var inQuotes = false
        var iterator = Array(text).makeIterator()
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
                    field.append(c)
                }
            } else if c == "\"" {
                inQuotes = true
            } else if c == "," {
                record.append(field)
                field = ""
            } else if c == "\n" || c == "\r\n" {
                record.append(field)
                records.append(record)
                record = []
                field = ""
            } else {
                field.append(c)
            }
        }
        if inQuotes { return nil }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        guard let header = records.first else { return nil }
        let body = Array(records.dropFirst())
        guard body.allSatisfy({ $0.count == header.count }) else { return nil }
        return CSVTable(columns: header, rows: body)
    }
}
