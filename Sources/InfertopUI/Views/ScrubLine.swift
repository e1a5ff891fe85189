import InfertopCore

/// A replay's footer: playing or paused, the position and length, a bar, the speed, the
/// wall-clock time of the frame, where the file is cut if it is, then the status message or the
/// replay keys.
///
/// `▶ 00:01:23 / 00:12:00 ━━━━━●──────── 2x 14:02:31 UTC  space play/pause ← -10s → +10s [ slower ] faster`
enum ScrubLine {
    /// Draws the line on row `y` up to `width`; a status message takes the place of the bar and keys.
    static func render(
        _ replay: ReplayStatus, status: StatusMessage?, keymap: Keymap, glyphs g: Glyphs, y: Int, width: Int,
        into screen: inout Screen
    ) {
        let state = replay.isPlaying ? (g.isUnicode ? "▶" : ">") : g.pause
        var x = screen.put(state + " ", x: 0, y: y, style: Style(replay.isPlaying ? .ok : .warn, .bold), maxX: width)
        x = screen.put(
            "\(Format.clock(replay.position)) / \(Format.clock(replay.length)) ", x: x, y: y,
            style: Style(.text, .bold),
            maxX: width)
        // The bar gives its room to a status message.
        let barWidth = status == nil ? min(24, max(0, width - x - 60)) : 0
        if barWidth >= 8 {
            let filled = replay.length > 0 ? Int((replay.position / replay.length * Double(barWidth - 1)).rounded()) : 0
            for i in 0..<barWidth {
                let glyph: Character =
                    i == filled
                    ? (g.isUnicode ? "●" : "o") : (g.isUnicode ? (i < filled ? "━" : "─") : (i < filled ? "=" : "-"))
                screen.put(String(glyph), x: x + i, y: y, style: Style(i <= filled ? .accent : .dim))
            }
            x += barWidth + 1
        }
        x = screen.put("\(replay.speedText) ", x: x, y: y, style: Style(.accent, .bold), maxX: width)
        x = screen.put("\(replay.clock) UTC ", x: x, y: y, style: Style(.footer), maxX: width)
        if let cut = replay.cut {
            x = screen.put("cut at \(cut) ", x: x, y: y, style: Style(.warn, .bold), maxX: width)
        }
        x += 1
        if let status {
            screen.put(
                status.text, x: x, y: y, width: max(0, width - x), style: Style(status.isError ? .crit : .footer),
                glyphs: g)
            return
        }
        // The replay's keys first, then help and quit.
        let replayKeys = keymap.bindings.filter { $0.context == .replay }
        let always = keymap.bindings.filter {
            $0.context == .global && ($0.action == .help || $0.action == .quit)
        }
        for b in replayKeys + always {
            guard let hint = b.hint, let key = b.keys.first else { continue }
            let label = key.description
            guard x + Text.width(label) + Text.width(hint) + 2 <= width else { break }
            x = screen.put(label, x: x, y: y, style: Style(.key, .bold))
            x = screen.put(" " + hint + " ", x: x, y: y, style: Style(.footer))
        }
    }
}
