import InfertopCore

/// The list of recent requests that failed or ran longest: trace id (12 hex digits), model,
/// replica, node, end-to-end time, time to first token, spans and status, one per row, the
/// selection highlighted. Columns drop by priority as the screen narrows.
enum RequestList {
    /// A list column: how a request fills it, given the end of the newest request (for ENDED).
    typealias Column = TableColumn<RequestTrace, UInt64>

    /// Draws the column titles on `titleY` and the rows from `start` in `area`, `selected` highlighted.
    static func render(
        _ rows: [RequestTrace], start: Int, selected: TraceID?, newestNanos: UInt64, area: Rect, titleY: Int,
        glyphs g: Glyphs, into screen: inout Screen
    ) {
        let status = 14
        let columns = fit(Self.columns, width: area.width - 2 - status - 1)
        var x = screen.put("  ", x: area.x, y: titleY, style: .dim)
        for c in columns {
            let title = Text.fit(c.title, c.width, alignRight: c.alignRight) + " "
            x = screen.put(title, x: x, y: titleY, style: Style(.dim, .bold))
        }
        screen.put("STATUS", x: x, y: titleY, style: Style(.dim, .bold))
        for (i, trace) in rows.dropFirst(start).prefix(area.height).enumerated() {
            let y = area.y + i
            let isSelected = trace.id == selected
            let base: Style = isSelected ? Style(.selection) : .text
            if isSelected { screen.fill(Rect(x: area.x, y: y, width: area.width, height: 1), with: Cell(" ", base)) }
            var col = area.x
            if trace.isFailed {
                screen[col, y] = Cell(g.lost, isSelected ? base : Style(.crit, .bold))
            }
            col += 2
            for c in columns {
                let (text, role) = c.value(trace, newestNanos)
                col = screen.put(
                    Text.fit(text, c.width, ellipsis: g.ellipsis, alignRight: c.alignRight) + " ", x: col, y: y,
                    style: isSelected ? base : Style(role))
            }
            let statusRole: StyleRole = trace.isFailed ? .crit : trace.statusText == "length" ? .warn : .dim
            screen.put(
                trace.statusText, x: col, y: y, width: area.maxX - col, style: isSelected ? base : Style(statusRole),
                glyphs: g)
        }
    }

    static func fit(_ all: [Column], width: Int) -> [Column] {
        var chosen = all
        while chosen.reduce(0, { $0 + $1.width + 1 }) > width, let worst = chosen.map(\.priority).max() {
            chosen.removeAll { $0.priority == worst }
        }
        return chosen
    }

    static let columns: [Column] = [
        Column(title: "TRACE", width: 12, priority: 0, alignRight: false) { t, _ in
            (String(t.id.hex.prefix(12)), .accent)
        },
        Column(title: "MODEL", width: 12, priority: 3, alignRight: false) { t, _ in (t.model ?? "-", .text) },
        Column(title: "REPLICA", width: 14, priority: 0, alignRight: false) { t, _ in
            (t.replica?.description ?? t.model ?? "-", .text)
        },
        Column(title: "NODE", width: 8, priority: 1, alignRight: false) { t, _ in (t.node?.name ?? "-", .text) },
        Column(title: "E2E", width: 6, priority: 0) { t, _ in (Format.duration(t.durationSeconds), .text) },
        Column(title: "TTFT", width: 6, priority: 0) { t, _ in
            (t.ttftSeconds.map(Format.duration) ?? "-", t.ttftSeconds == nil ? .dim : .text)
        },
        Column(title: "SPANS", width: 5, priority: 2) { t, _ in ("\(t.spans.count)", .dim) },
        Column(title: "ENDED", width: 6, priority: 4) { t, newest in
            let ago = newest > t.endNanos ? Double(newest - t.endNanos) / 1e9 : 0
            return ("-" + Format.age(ago), .dim)
        }
    ]
}
