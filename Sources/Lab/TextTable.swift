/// A CSV table laid out in aligned columns for a terminal summary.
public enum TextTable {
    /// Numbers align right, text left; `columns` picks and orders the columns shown (all by default).
    public static func render(_ table: CSVTable, columns: [String]? = nil) -> String {
        let shown = (columns ?? table.columns).compactMap { name in table.columns.firstIndex(of: name).map { (name, $0) } }
        let header = shown.map(\.0)
        let body = table.rows.map { row in shown.map { row[$0.1] } }
        var widths = header.map(\.count)
        for row in body { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return Double(cell) != nil ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }
        var out = line(header) + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in body { out += line(row) + "\n" }
        return out
    }
}

extension TextTable {
    /// The table as GitHub-flavoured markdown.
    public static func markdown(_ table: CSVTable) -> String {
        func line(_ cells: [String]) -> String { "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
        var out = line(table.columns)
        out += line(table.columns.map { _ in "---" })
        for row in table.rows { out += line(row) }
        return out
    }
}
