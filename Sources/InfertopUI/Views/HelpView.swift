import InfertopCore

/// The `?` overlay: every binding of the current context and the global ones, from the keymap.
enum HelpView {
    static func render(_ model: Model, into screen: inout Screen, body: Rect) {
        let g = model.glyphs
        var lines: [(String, String, Bool)] = []
        for context in [model.context, .global] {
            lines.append((context.title, "", true))
            for b in model.keymap.bindings where b.context == context {
                lines.append((Keymap.label(b.keys), b.help, false))
            }
        }
        lines.append(("", "", false))
        lines.append(("", "any key closes this help", false))
        let width = min(body.width - 2, 78)
        let height = min(body.height, lines.count + 2)
        let x0 = body.x + (body.width - width) / 2
        let y0 = body.y + max(0, (body.height - height) / 2)
        screen.fill(Rect(x: x0, y: y0, width: width, height: height))
        screen.repeatGlyph(g.horizontal, count: width, x: x0, y: y0, style: Style(.border))
        screen.repeatGlyph(g.horizontal, count: width, x: x0, y: y0 + height - 1, style: Style(.border))
        screen.put(" keys ", x: x0 + 2, y: y0, style: Style(.title, .bold))
        for (i, line) in lines.prefix(height - 2).enumerated() {
            let y = y0 + 1 + i
            if line.2 {
                screen.put(line.0, x: x0 + 2, y: y, width: width - 4, style: Style(.accent, .bold), glyphs: g)
                continue
            }
            screen.put(Text.fit(line.0, 12), x: x0 + 4, y: y, style: Style(.key, .bold))
            screen.put(line.1, x: x0 + 17, y: y, width: width - 19, style: .text, glyphs: g)
        }
    }
}
