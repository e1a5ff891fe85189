/// A grid of cells that views draw into instead of a terminal.
///
/// Everything outside the grid is clipped, so a widget can never write past its edge.
/// `Screen+Diff.swift` turns two screens into the runs of cells that changed.
public struct Screen: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(size: Size, fill: Cell = .blank) {
        width = max(0, size.columns)
        height = max(0, size.rows)
        cells = Array(repeating: fill, count: width * height)
    }

    public var size: Size { Size(columns: width, rows: height) }
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Writes text from (x, y), clipped at `maxX` (exclusive) and the screen edge.
    /// - Returns: the column after the last cell written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .text, maxX: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let limit = min(maxX ?? width, width)
        var col = x
        for scalar in text.unicodeScalars {
            if col >= limit { break }
            if col >= 0 { cells[y * width + col] = Cell(scalar, style) }
            col += 1
        }
        return col
    }

    /// Writes one glyph repeated `count` times.
    public mutating func repeatGlyph(_ scalar: Unicode.Scalar, count: Int, x: Int, y: Int, style: Style) {
        guard y >= 0, y < height, count > 0 else { return }
        let lo = max(0, x)
        let hi = min(width, x + count)
        guard lo < hi else { return }
        let cell = Cell(scalar, style)
        let base = y * width
        for col in lo..<hi { cells[base + col] = cell }
    }

    /// Fills a rectangle with one cell.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        for row in max(0, rect.y)..<min(height, rect.maxY) {
            repeatGlyph(cell.scalar, count: rect.width, x: rect.x, y: row, style: cell.style)
        }
    }

    /// Restyles a rectangle, keeping its characters.
    public mutating func setStyle(_ rect: Rect, _ style: Style) {
        for row in max(0, rect.y)..<min(height, rect.maxY) {
            for col in max(0, rect.x)..<min(width, rect.maxX) { cells[row * width + col].style = style }
        }
    }

    /// Replaces every non-ASCII character with its ASCII stand-in.
    public mutating func asciify() {
        for i in cells.indices where !cells[i].scalar.isASCII {
            cells[i].scalar = Glyphs.asciiFallback(cells[i].scalar)
        }
    }

    /// The text of each row, exactly `width` characters long.
    public var rows: [String] {
        (0..<height).map { row in
            var line = String.UnicodeScalarView()
            for col in 0..<width { line.append(cells[row * width + col].scalar) }
            return String(line)
        }
    }
}
