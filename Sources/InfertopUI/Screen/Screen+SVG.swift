/// The grid a picture of the screen is laid out on, in SVG user units (pixels).
public enum SVGGrid {
    /// The font size; monospace fonts advance about 0.6 em, so a cell is 9 wide.
    public static let fontSize = 15
    /// The width of one cell.
    public static let cellWidth = 9
    /// The height of one row: a block glyph fills it, so bars and borders join up.
    public static let rowHeight = 18
    /// How far below a row's top its text baseline sits.
    public static let baseline = 14
    /// Monospace fonts every browser and GitHub can find; no web font is fetched.
    public static let fontFamily =
        "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace"
}

extension Screen {
    /// The screen as an SVG picture, drawn with the theme's colours on a monospace grid.
    ///
    /// The picture is self-contained (no fonts, no scripts) so GitHub and browsers show it as
    /// an image. The theme's canvas is behind everything; a `<rect>` marks each run of cells
    /// with a background of their own; a `<text>` holds each run of cells drawn alike (blank
    /// runs are left out), placed at its column and row and stretched to exactly its cells
    /// (`textLength`), so columns line up in any monospace font. Bold is `font-weight`,
    /// underline `text-decoration`. Pure: the same screen and theme give the same bytes.
    public func svg(theme: Theme, depth: ColorDepth = .full) -> String {
        let pixelWidth = width * SVGGrid.cellWidth
        let pixelHeight = height * SVGGrid.rowHeight
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(pixelWidth)\" height=\"\(pixelHeight)\" "
        out += "viewBox=\"0 0 \(pixelWidth) \(pixelHeight)\" font-family=\"\(SVGGrid.fontFamily)\" "
        out += "font-size=\"\(SVGGrid.fontSize)\" xml:space=\"preserve\">\n"
        out +=
            "<rect width=\"100%\" height=\"100%\" fill=\"\(PictureStyle.backdrop(theme: theme, depth: depth).hex)\"/>\n"
        var styles: [Style: PictureStyle] = [:]
        func painted(_ style: Style) -> PictureStyle {
            if let known = styles[style] { return known }
            let resolved = PictureStyle(style, theme: theme, depth: depth)
            styles[style] = resolved
            return resolved
        }
        var texts = ""
        for row in 0..<height {
            let line = (0..<width).map { self[$0, row] }
            let pictured = line.map { painted($0.style) }
            for run in Self.runs(pictured.map(\.background)) {
                guard let fill = pictured[run.lowerBound].background else { continue }
                out += "<rect x=\"\(run.lowerBound * SVGGrid.cellWidth)\" y=\"\(row * SVGGrid.rowHeight)\" "
                out +=
                    "width=\"\(run.count * SVGGrid.cellWidth)\" height=\"\(SVGGrid.rowHeight)\" fill=\"\(fill.hex)\"/>\n"
            }
            for run in Self.runs(pictured.map(InkKey.init)) {
                // Blanks at either end draw nothing: the text starts at its first glyph.
                guard let first = run.first(where: { line[$0].scalar != " " }),
                    let last = run.last(where: { line[$0].scalar != " " })
                else { continue }
                texts += Self.text(line[first...last].map(\.scalar), style: pictured[first], column: first, row: row)
            }
        }
        return out + texts + "</svg>\n"
    }

    /// One `<text>` element for the glyphs from `column` on a row.
    private static func text(_ glyphs: [Unicode.Scalar], style: PictureStyle, column: Int, row: Int) -> String {
        var element = "<text x=\"\(column * SVGGrid.cellWidth)\" y=\"\(row * SVGGrid.rowHeight + SVGGrid.baseline)\" "
        element += "textLength=\"\(glyphs.count * SVGGrid.cellWidth)\" lengthAdjust=\"spacingAndGlyphs\" "
        element += "fill=\"\(style.foreground.hex)\""
        if style.bold { element += " font-weight=\"bold\"" }
        if style.underline { element += " text-decoration=\"underline\"" }
        element += ">"
        var escaped = String.UnicodeScalarView()
        for scalar in glyphs {
            switch scalar {
            case "&": escaped.append(contentsOf: "&amp;".unicodeScalars)
            case "<": escaped.append(contentsOf: "&lt;".unicodeScalars)
            case ">": escaped.append(contentsOf: "&gt;".unicodeScalars)
            // XML 1.0 has no control characters but tab and newlines; a cell never should.
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: escaped.append(" ")
            default: escaped.append(scalar)
            }
        }
        return element + String(escaped) + "</text>\n"
    }

    /// The column ranges of a row over which `keys` stay equal.
    private static func runs<Key: Equatable>(_ keys: [Key]) -> [Range<Int>] {
        guard !keys.isEmpty else { return [] }
        var result: [Range<Int>] = []
        var start = 0
        for index in 1...keys.count where index == keys.count || keys[index] != keys[start] {
            result.append(start..<index)
            start = index
        }
        return result
    }

    /// What a glyph looks like apart from its background: cells alike in this share a `<text>`.
    private struct InkKey: Equatable {
        var foreground: RGB
        var bold: Bool
        var underline: Bool

        init(_ style: PictureStyle) {
            foreground = style.foreground
            bold = style.bold
            underline = style.underline
        }
    }
}
