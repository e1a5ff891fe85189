extension Screen {
    /// The screen as text with SGR colour escapes, one line per row, each ending in "\n".
    ///
    /// This is how a frame leaves infertop without curses (a `snapshot` printed to a
    /// terminal or a file). An escape is written only where the resolved style changes, and
    /// every line that set a style ends with a reset, so lines can be cut, paged or
    /// concatenated without colour bleeding. At `.full` colours are `38;5;N`/`48;5;N`, at
    /// `.eight` `30-37`/`40-47`, and at `.mono` only attributes.
    public func ansi(theme: Theme, depth: ColorDepth) -> String {
        var resolved: [Style: ResolvedStyle] = [:]
        var output = String.UnicodeScalarView()
        for row in 0..<height {
            var current = ResolvedStyle.plain
            for col in 0..<width {
                let cell = self[col, row]
                let style: ResolvedStyle
                if let cached = resolved[cell.style] {
                    style = cached
                } else {
                    style = ResolvedStyle(cell.style, theme: theme, depth: depth)
                    resolved[cell.style] = style
                }
                if style != current {
                    output.append(contentsOf: style.sgr.unicodeScalars)
                    current = style
                }
                output.append(cell.scalar)
            }
            if current != .plain { output.append(contentsOf: "\u{1B}[0m".unicodeScalars) }
            output.append("\n")
        }
        return String(output)
    }
}
