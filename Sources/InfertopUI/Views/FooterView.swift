import InfertopCore

/// The bottom row: the prompt while typing, else a status message or key hints from the keymap.
enum FooterView {
    /// Draws the row: the prompt of `input` while typing; else on the right the filter, pause, the
    /// `marked` count, replay or read-only, and on the left the replay's scrub line, the `status`
    /// message or the hints of `context`'s keys.
    static func render(
        input: InputMode, filter: Filter, isPaused: Bool, marked: Int, replay: ReplayStatus?, isReadOnly: Bool,
        status: StatusMessage?, keymap: Keymap, context: KeyContext, glyphs: Glyphs, into screen: inout Screen
    ) {
        let y = screen.height - 1
        let width = screen.width
        screen.fill(Rect(x: 0, y: y, width: width, height: 1), with: Cell(" ", Style(.footer)))
        switch input {
        case .filter(let text):
            prompt("/", text, hint: "Enter keeps · Esc clears · !text negates", glyphs: glyphs, into: &screen)
            return
        case .command(let text):
            prompt(":", text, hint: "Enter runs · Esc cancels · :help", glyphs: glyphs, into: &screen)
            return
        case .normal:
            break
        }
        var right = ""
        if !filter.isEmpty { right += " filter: \(filter.text) " }
        if isPaused { right += " PAUSED " }
        if marked > 0 { right += " \(marked) marked " }
        if replay != nil { right += " REPLAY " } else if isReadOnly { right += " READ-ONLY " }
        let rightX = width - Text.width(right)
        if !right.isEmpty { screen.put(right, x: rightX, y: y, style: Style(.warn, .reverse)) }
        if let replay {
            ScrubLine.render(
                replay, status: status, keymap: keymap, glyphs: glyphs, y: y, width: rightX - 1, into: &screen)
            return
        }
        if let status {
            screen.put(
                status.text, x: 0, y: y, width: rightX - 1, style: Style(status.isError ? .crit : .footer),
                glyphs: glyphs)
            return
        }
        // Hints in keymap order; help and quit always show, at the end, the others as room allows.
        var hints: [(label: String, hint: String, essential: Bool)] = []
        for binding in keymap.bindings(for: context) {
            guard let hint = binding.hint, let key = binding.keys.first else { continue }
            let label = key == .enter ? (glyphs.isUnicode ? "⏎" : "Enter") : key.description
            hints.append((label, hint, binding.action == .help || binding.action == .quit))
        }
        func need(_ h: (label: String, hint: String, essential: Bool)) -> Int {
            Text.width(h.label) + Text.width(h.hint) + 2
        }
        var room = rightX - hints.filter(\.essential).reduce(0) { $0 + need($1) }
        var shown: [(label: String, hint: String, essential: Bool)] = []
        for h in hints where !h.essential {
            guard need(h) <= room else { break }
            shown.append(h)
            room -= need(h)
        }
        var x = 0
        for h in shown + hints.filter(\.essential) where x + need(h) <= rightX {
            x = screen.put(h.label, x: x, y: y, style: Style(.key, .bold))
            x = screen.put(" " + h.hint + " ", x: x, y: y, style: Style(.footer))
        }
    }

    private static func prompt(
        _ lead: String, _ text: String, hint: String, glyphs: Glyphs, into screen: inout Screen
    ) {
        let y = screen.height - 1
        var x = screen.put(lead, x: 0, y: y, style: Style(.key, .bold))
        let room = screen.width - Text.width(hint) - 3
        let shown = Text.width(text) > room - x ? String(text.unicodeScalars.suffix(room - x)) : text
        x = screen.put(shown, x: x, y: y, style: Style(.text))
        screen.put(String(glyphs.cursor), x: x, y: y, style: Style(.accent))
        screen.put(hint, x: screen.width - Text.width(hint), y: y, style: Style(.dim))
    }
}
