import InfertopCore

/// Draws a request's rows: a mark for rows on the critical path, the name indented by depth
/// (`?` before it when its parent has not arrived), node, GPU group, replica and duration, then
/// its bar on the time axis. Off the path a bar is a light shade; the critical stretches are
/// solid and bright, and the biggest gap stands out in the warning colour and its own dark shade,
/// so the path reads in 8 colours, with no colour (light, dark, solid) and in ASCII (`=`, `%`, `#`).
enum Waterfall {
    /// The glyphs of bars and marks for a glyph set.
    struct Marks {
        let critical: Unicode.Scalar
        /// The biggest gap: its own glyph, so that it reads with no colour too.
        let gap: Unicode.Scalar
        let offPath: Unicode.Scalar
        let mark: Unicode.Scalar
        let orphan: Unicode.Scalar

        init(_ g: Glyphs) {
            critical = g.isUnicode ? "█" : "#"
            gap = g.isUnicode ? "▓" : "%"
            offPath = g.isUnicode ? "░" : "="
            mark = g.isUnicode ? "◆" : "*"
            orphan = "?"
        }
    }

    static func renderRows(
        _ w: RequestWaterfall, layout: WaterfallLayout, glyphs g: Glyphs, area: Rect, scroll: Int,
        into screen: inout Screen
    ) {
        let marks = Marks(g)
        let total = max(1, w.durationNanos)
        for (i, row) in w.rows.dropFirst(scroll).prefix(area.height).enumerated() {
            let y = area.y + i
            let index = scroll + i
            if row.isCritical { screen[area.x, y] = Cell(marks.mark, Style(.accent, .bold)) }
            let indent = String(repeating: " ", count: min(row.depth * 2, max(0, layout.nameWidth - 4)))
            let name = indent + (row.isOrphan ? String(marks.orphan) : "") + row.name
            let nameStyle: Style = row.isError ? Style(.crit, .bold) : row.kind == .span ? .text : .dim
            var x = screen.put(
                Text.fit(name, layout.nameWidth, ellipsis: g.ellipsis), x: area.x + 2, y: y, style: nameStyle)
            if row.isOrphan { screen[area.x + 2 + Text.width(indent), y] = Cell(marks.orphan, Style(.warn, .bold)) }
            for label in layout.labels {
                let (text, style) = value(label, row)
                x = screen.put(
                    " " + Text.fit(text, label.width, ellipsis: g.ellipsis, alignRight: label == .duration), x: x,
                    y: y, style: style)
            }
            let barX = area.x + layout.barX
            let span = layout.columns(
                row.startNanos..<max(row.startNanos + 1, row.endNanos), start: w.startNanos, total: total)
            let base = row.isError ? Style(.crit) : Style(.dim)
            screen.repeatGlyph(marks.offPath, count: span.count, x: barX + span.lowerBound, y: y, style: base)
            for stretch in row.critical {
                let cells = layout.columns(stretch, start: w.startNanos, total: total)
                let isGap = w.gap?.row == index && w.gap.map { $0.startNanos..<$0.endNanos } == stretch
                let style = isGap ? Style(.warn, .bold) : row.isError ? Style(.crit, .bold) : Style(.accent, .bold)
                screen.repeatGlyph(
                    isGap ? marks.gap : marks.critical, count: cells.count, x: barX + cells.lowerBound, y: y,
                    style: style)
            }
        }
    }

    private static func value(_ label: WaterfallLayout.Label, _ row: RequestWaterfall.Row) -> (String, Style) {
        switch label {
        case .node: (row.node?.name ?? "-", .text)
        case .gpus: (row.gpus ?? "-", .dim)
        case .replica: (row.replica?.description ?? "-", .text)
        case .duration: (Format.duration(Double(row.durationNanos) / 1e9), .text)
        }
    }

    /// The time scale above the bars: round ticks with their times.
    static func renderScale(
        _ w: RequestWaterfall, layout: WaterfallLayout, x: Int, y: Int, into screen: inout Screen
    ) {
        let total = max(1, w.durationNanos)
        var free = x + layout.barX
        for (column, nanos) in layout.ticks(total: total) {
            let label = nanos == 0 ? "0" : Format.duration(Double(nanos) / 1e9)
            let at = x + layout.barX + column
            guard at >= free, at + Text.width(label) <= x + layout.barX + layout.barWidth else { continue }
            free = screen.put(label, x: at, y: y, style: Style(.dim, .bold)) + 1
        }
    }
}
