import InfertopCore

/// The confirmation dialog over the screen: title, impact, the state fingerprint, the typed
/// confirmation and the two buttons, focus drawn in reverse.
///
/// Short items (memory per GPU, capacity per model) are packed several to a line; sentences wrap.
/// When the impact is taller than the screen the tail is cut with a count, never the prompt.
/// Golden files: `__Snapshots__/ControlGoldenTests/dialog_*.txt`.
enum DialogView {
    static func render(_ dialog: ConfirmDialog, glyphs g: Glyphs, into screen: inout Screen, body: Rect) {
        let width = min(body.width, 120)
        let inner = width - 4
        var lines: [(String, Style)] = []
        for section in dialog.sections {
            if let title = section.title { lines.append((title, Style(.accent, .bold))) }
            let indent = section.title == nil ? "" : "  "
            let items = section.packed ? pack(section.items, width: inner - indent.count) : section.items
            for item in items {
                for part in wrap(item, width: inner - indent.count) {
                    lines.append((indent + part, Style(section.role)))
                }
            }
        }
        let footer = 4
        let room = max(1, body.height - 2 - footer)
        if lines.count > room {
            let cut = lines.count - room + 1
            lines = Array(lines.prefix(room - 1)) + [("+\(cut) more lines: a larger terminal shows all", Style(.dim))]
        }
        let height = min(body.height, lines.count + footer + 2)
        let x0 = body.x + (body.width - width) / 2
        let y0 = body.y + max(0, (body.height - height) / 2)
        screen.fill(Rect(x: x0, y: y0, width: width, height: height))
        screen.repeatGlyph(g.horizontal, count: width, x: x0, y: y0, style: Style(.border))
        screen.repeatGlyph(g.horizontal, count: width, x: x0, y: y0 + height - 1, style: Style(.border))
        screen.put(
            " \(dialog.title) ", x: x0 + 2, y: y0, width: min(width - 4, Text.width(dialog.title) + 2),
            style: Style(.warn, .bold), glyphs: g)
        for (i, line) in lines.enumerated() {
            screen.put(line.0, x: x0 + 2, y: y0 + 1 + i, width: inner, style: line.1, glyphs: g)
        }
        prompt(dialog, glyphs: g, x: x0 + 2, y: y0 + height - 1 - footer, width: inner, into: &screen)
    }

    /// The fingerprint line, the confirmation field and the buttons, at the bottom of the box.
    private static func prompt(
        _ dialog: ConfirmDialog, glyphs g: Glyphs, x: Int, y: Int, width: Int, into screen: inout Screen
    ) {
        var call = "sends \(dialog.request.id) \(dialog.request.call)\(g.separator)state \(dialog.request.madeFrom)"
        let stale = "\(g.separator)refused if the cluster has changed"
        if Text.width(call + stale) <= width { call += stale }
        screen.put(call, x: x, y: y + 1, width: width, style: .dim, glyphs: g)
        let ask = "type \(dialog.expected) and Enter to confirm: "
        var col = screen.put(ask, x: x, y: y + 2, style: Style(.text, .bold), maxX: x + width)
        let matches = dialog.expected.hasPrefix(dialog.typed)
        let field = max(Text.width(dialog.expected) + 2, 12)
        let typed = Text.fit(dialog.typed, field - 1, ellipsis: g.ellipsis)
        let start = col
        col = screen.put(typed, x: col, y: y + 2, style: Style(matches ? .text : .crit, .underline), maxX: x + width)
        if dialog.focus == .confirm {
            screen.put(
                String(g.cursor), x: start + min(Text.width(dialog.typed), field - 1), y: y + 2, style: Style(.accent))
        }
        let buttons: [(String, ConfirmDialog.Focus)] = [("[ Cancel ]", .cancel), ("[ Confirm ]", .confirm)]
        col = x
        for (label, focus) in buttons {
            let style = dialog.focus == focus ? Style(focus == .cancel ? .key : .crit, [.bold, .reverse]) : Style(.dim)
            col = screen.put(label, x: col, y: y + 3, style: style) + 2
        }
        screen.put(
            "Tab switches\(g.separator)Esc cancels", x: col + 1, y: y + 3, width: x + width - col - 1,
            style: .dim, glyphs: g)
    }

    /// Words wrapped to `width`; a word longer than the width is cut by the caller's fit.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0, Text.width(text) > width else { return [text] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let next = current.isEmpty ? String(word) : current + " " + word
            if Text.width(next) > width, !current.isEmpty {
                lines.append(current)
                current = "  " + word
            } else {
                current = next
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// Short items packed left to right, three spaces apart, as many to a line as fit.
    static func pack(_ items: [String], width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for item in items {
            let next = current.isEmpty ? item : current + "   " + item
            if Text.width(next) > width, !current.isEmpty {
                lines.append(current)
                current = item
            } else {
                current = next
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
