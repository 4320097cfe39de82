/// A value that can fill one CSV cell. The experiments format their numbers
/// themselves (``Cell/fixed(_:_:)``), so today every cell is a `String`;
/// the column's type parameter is what lets the compiler count them.
public protocol CellValue {
    var cellText: String { get }
}

extension String: CellValue {
    public var cellText: String { self }
}

/// One CSV column of an experiment: snake_case name with its unit as a
/// suffix (`lookup_ns_median`), what it means, and the type of its cells.
public struct Column<Value: CellValue>: Sendable {
    public let info: ColumnInfo

    /// `timing`: the cells are measured times or rates from them, which
    /// differ between two runs with the same seed (``Experiment/timingColumns``).
    public init(_ name: String, _ summary: String, timing: Bool = false) where Value == String {
        info = ColumnInfo(name: name, summary: summary, timing: timing)
    }
}

/// A column's name and meaning, as `caplab list --columns` shows them.
public struct ColumnInfo: Sendable, Equatable {
    public let name: String
    public let summary: String
    /// Measured time (or a rate from one): may differ between runs with one seed.
    public var timing: Bool = false
}

/// An experiment's columns, declared once, in CSV order; rows are made
/// from them.
///
/// `row(_:)` takes exactly one value per declared column, checked by the
/// compiler through the parameter pack: a row with a cell too many or too
/// few does not build.
///
/// ```swift
/// static let columns = Columns(Column("algorithm", "placement variant"), Column("nodes", "node count"))
/// rows.append(columns.row(candidate.algorithm, String(nodeCount)))
/// ```
public struct Columns<each Value: CellValue>: Sendable {
    public let infos: [ColumnInfo]

    public init(_ columns: repeat Column<each Value>) {
        var infos: [ColumnInfo] = []
        for column in repeat each columns { infos.append(column.info) }
        self.infos = infos
    }

    /// One row: a value for every column, in declaration order.
    public func row(_ cells: repeat each Value) -> Row {
        var texts: [String] = []
        texts.reserveCapacity(infos.count)
        for cell in repeat each cells { texts.append(cell.cellText) }
        return Row(cells: texts)
    }
}

/// One result row of an experiment, made by ``Columns/row(_:)`` (so it has
/// one cell per column of the table that made it).
public struct Row: Sendable, Equatable {
    public let cells: [String]

    /// The same row with the cell of column `index` replaced (for a cell
    /// known only after later rows, such as a frontier mark).
    public func replacing(_ index: Int, with cell: String) -> Row {
        var cells = cells
        cells[index] = cell
        return Row(cells: cells)
    }
}
