/// Where the header, body and footer sit for a screen size.
public struct ScreenLayout: Sendable, Hashable {
    public let size: Size

    public init(_ size: Size) { self.size = size }

    public static let headerRows = 2
    public static let footerRows = 1

    public var header: Rect { Rect(x: 0, y: 0, width: size.columns, height: Self.headerRows) }
    public var body: Rect {
        Rect(x: 0, y: Self.headerRows, width: size.columns, height: size.rows - Self.headerRows - Self.footerRows)
    }
    public var footer: Rect { Rect(x: 0, y: size.rows - 1, width: size.columns, height: 1) }

    /// Rows of a list under one column-title row and above one legend row.
    public var listRows: Int { Self.listRows(in: body) }

    /// Rows of a list in `body` under one column-title row and above one legend row.
    public static func listRows(in body: Rect) -> Int { max(1, body.height - 2) }

    public var isTooSmall: Bool { size.columns < Size.minimum.columns || size.rows < Size.minimum.rows }
}
