import InfertopCore

/// The `?` overlay: every binding of the current context and the global ones, from the keymap, with
/// `:theme` among the global ones, then the `:` commands that change the cluster (or, read-only,
/// why there are none).
enum HelpView {

    /// One row of the overlay: a heading, a key and its help, or a command and its help.
    private enum Line {
        case heading(String)
        case key(String, String)
        case command(String, String)
    }

    /// Draws the overlay in `body`: the keys of `context`, the global ones and, in a replay, the
    /// replay's first; then the commands that change the cluster, or `readOnlyReason` why there are none.
    static func render(
        keymap: Keymap, context: KeyContext, isReplay: Bool, readOnlyReason: String?, glyphs g: Glyphs,
        into screen: inout Screen, body: Rect
    ) {
        var lines: [Line] = []
        let replayKeys = isReplay ? Set(keymap.bindings.filter { $0.context == .replay }.flatMap(\.keys)) : []
        for shown in (isReplay ? [.replay] : []) + [context, .global] {
            lines.append(.heading(shown.title(keymap)))
            // Keys a replay takes over are listed once, under the replay.
            for b in keymap.bindings where b.context == shown {
                let keys = shown == .replay ? b.keys : b.keys.filter { !replayKeys.contains($0) }
                if !keys.isEmpty { lines.append(.key(Keymap.label(keys), b.help)) }
            }
        }
        lines.append(.key(":theme NAME", "switch theme now: \(BuiltInThemes.nameList)"))
        if let reason = readOnlyReason {
            lines.append(.heading("Commands that change the cluster"))
            lines.append(.key("", "\(reason): none is offered"))
        } else if !keymap.commands.isEmpty {
            lines.append(.heading("Commands that change the cluster (no key runs them)"))
            for command in keymap.commands { lines.append(.command(command.syntax, command.help)) }
            lines.append(.key("", CommandHelp.confirmHelp))
        }
        lines.append(.key("", "any key closes this help"))
        let width = min(body.width - 2, keymap.commands.isEmpty ? 78 : 110)
        let height = min(body.height, lines.count + 2)
        let x0 = body.x + (body.width - width) / 2
        let y0 = body.y + max(0, (body.height - height) / 2)
        // Command help lines up after the longest syntax while that leaves it room; else after each.
        let longest = keymap.commands.map { Text.width($0.syntax) }.max() ?? 0
        let commandHelpX = longest + 25 <= width ? x0 + 6 + longest : nil
        screen.fill(Rect(x: x0, y: y0, width: width, height: height))
        screen.repeatGlyph(g.horizontal, count: width, x: x0, y: y0, style: Style(.border))
        screen.repeatGlyph(g.horizontal, count: width, x: x0, y: y0 + height - 1, style: Style(.border))
        screen.put(" keys ", x: x0 + 2, y: y0, style: Style(.title, .bold))
        for (i, line) in lines.prefix(height - 2).enumerated() {
            let y = y0 + 1 + i
            switch line {
            case .heading(let title):
                screen.put(title, x: x0 + 2, y: y, width: width - 4, style: Style(.accent, .bold), glyphs: g)
            case .key(let keys, let help):
                screen.put(Text.fit(keys, 12), x: x0 + 4, y: y, style: Style(.key, .bold))
                screen.put(help, x: x0 + 17, y: y, width: width - 19, style: .text, glyphs: g)
            case .command(let syntax, let help):
                let end = screen.put(syntax, x: x0 + 4, y: y, style: Style(.key, .bold), maxX: x0 + width - 2)
                let helpX = commandHelpX ?? end + 2
                screen.put(help, x: helpX, y: y, width: x0 + width - 2 - helpX, style: .text, glyphs: g)
            }
        }
    }
}
