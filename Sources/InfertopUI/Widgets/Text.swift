/// Small text helpers for fixed-width cells.
enum Text {
    /// Pads or cuts `text` to exactly `width` characters; cut text ends in the ellipsis glyph.
    static func fit(_ text: String, _ width: Int, ellipsis: Unicode.Scalar = "…", alignRight: Bool = false) -> String {
        guard width > 0 else { return "" }
        let count = text.unicodeScalars.count
        if count == width { return text }
        if count < width {
            let pad = String(repeating: " ", count: width - count)
            return alignRight ? pad + text : text + pad
        }
        var out = String.UnicodeScalarView(text.unicodeScalars.prefix(width - 1))
        out.append(ellipsis)
        return String(out)
    }

    static func width(_ text: String) -> Int { text.unicodeScalars.count }
}

extension Screen {
    /// Writes text cut to fit `width` cells, with the glyph set's ellipsis when cut.
    @discardableResult
    mutating func put(
        _ text: String, x: Int, y: Int, width: Int, style: Style = .text, glyphs: Glyphs, alignRight: Bool = false
    ) -> Int {
        put(Text.fit(text, width, ellipsis: glyphs.ellipsis, alignRight: alignRight), x: x, y: y, style: style)
    }
}
