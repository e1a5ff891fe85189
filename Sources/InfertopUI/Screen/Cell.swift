/// One character cell of the screen: a single-width glyph and its style.
public struct Cell: Sendable, Hashable {
    public var scalar: Unicode.Scalar
    public var style: Style

    public init(_ scalar: Unicode.Scalar, _ style: Style = .text) {
        self.scalar = scalar
        self.style = style
    }

    public static let blank = Cell(" ")
}

/// A rectangle of cells: origin at the top left, rows grow downwards.
public struct Rect: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }

    /// The rectangle less `top` rows at the top.
    public func dropping(top: Int) -> Rect { Rect(x: x, y: y + top, width: width, height: height - top) }
    /// The first `rows` rows.
    public func taking(rows: Int) -> Rect { Rect(x: x, y: y, width: width, height: min(height, rows)) }
}

/// The size of a terminal in cells.
public struct Size: Sendable, Hashable, CustomStringConvertible {
    public var columns: Int
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    public var description: String { "\(columns)x\(rows)" }

    /// The smallest size the dashboard draws in.
    public static let minimum = Size(columns: 80, rows: 24)
}
