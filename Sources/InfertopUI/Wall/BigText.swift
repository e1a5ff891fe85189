/// Large type for the wall: each character five rows tall and three cells wide, drawn with full
/// blocks (or `#` in ASCII), readable from across a room.
///
/// Covers what culprit names and `NO DATA` need: letters, digits, `-`, `/`, `:`, `.`, `_` and
/// space; anything else draws as a blank cell.
public enum BigText {
    public static let rows = 5
    static let glyphWidth = 3

    /// Cells wide `text` is in large type (a one-cell gap between characters).
    public static func width(_ text: String) -> Int {
        let n = text.count
        return n == 0 ? 0 : n * (glyphWidth + 1) - 1
    }

    /// Draws `text` with its top-left corner at (x, y); cells past the screen are clipped.
    public static func draw(_ text: String, x: Int, y: Int, style: Style, glyphs: Glyphs, into screen: inout Screen) {
        let ink = glyphs.isUnicode ? "█" : "#"
        var left = x
        for character in text.lowercased() {
            let pattern = font[character] ?? font[" "]!
            for (row, line) in pattern.enumerated() {
                for (column, bit) in line.enumerated() where bit == "#" {
                    screen.put(ink, x: left + column, y: y + row, style: style)
                }
            }
            left += glyphWidth + 1
        }
    }

    /// Five rows of three cells per character; `#` is ink.
    static let font: [Character: [String]] = [
        "a": [" # ", "# #", "###", "# #", "# #"], "b": ["## ", "# #", "## ", "# #", "## "],
        "c": [" ##", "#  ", "#  ", "#  ", " ##"], "d": ["## ", "# #", "# #", "# #", "## "],
        "e": ["###", "#  ", "## ", "#  ", "###"], "f": ["###", "#  ", "## ", "#  ", "#  "],
        "g": [" ##", "#  ", "# #", "# #", " ##"], "h": ["# #", "# #", "###", "# #", "# #"],
        "i": ["###", " # ", " # ", " # ", "###"], "j": ["  #", "  #", "  #", "# #", " # "],
        "k": ["# #", "# #", "## ", "# #", "# #"], "l": ["#  ", "#  ", "#  ", "#  ", "###"],
        "m": ["# #", "###", "###", "# #", "# #"], "n": ["## ", "# #", "# #", "# #", "# #"],
        "o": [" # ", "# #", "# #", "# #", " # "], "p": ["## ", "# #", "## ", "#  ", "#  "],
        "q": [" # ", "# #", "# #", "## ", " ##"], "r": ["## ", "# #", "## ", "# #", "# #"],
        "s": [" ##", "#  ", " # ", "  #", "## "], "t": ["###", " # ", " # ", " # ", " # "],
        "u": ["# #", "# #", "# #", "# #", "###"], "v": ["# #", "# #", "# #", "# #", " # "],
        "w": ["# #", "# #", "###", "###", "# #"], "x": ["# #", "# #", " # ", "# #", "# #"],
        "y": ["# #", "# #", " # ", " # ", " # "], "z": ["###", "  #", " # ", "#  ", "###"],
        "0": ["###", "# #", "# #", "# #", "###"], "1": [" # ", "## ", " # ", " # ", "###"],
        "2": ["## ", "  #", " # ", "#  ", "###"], "3": ["## ", "  #", " # ", "  #", "## "],
        "4": ["# #", "# #", "###", "  #", "  #"], "5": ["###", "#  ", "## ", "  #", "## "],
        "6": [" ##", "#  ", "###", "# #", "###"], "7": ["###", "  #", " # ", " # ", " # "],
        "8": ["###", "# #", "###", "# #", "###"], "9": ["###", "# #", "###", "  #", "## "],
        "-": ["   ", "   ", "###", "   ", "   "], "/": ["  #", "  #", " # ", "#  ", "#  "],
        ":": ["   ", " # ", "   ", " # ", "   "], ".": ["   ", "   ", "   ", "   ", " # "],
        "_": ["   ", "   ", "   ", "   ", "###"], " ": ["   ", "   ", "   ", "   ", "   "]
    ]
}
