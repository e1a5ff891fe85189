import InfertopCore

/// One request's waterfall, opened with Enter in view 4: the trace, the biggest gap on its
/// critical path in words, then a row per span and engine phase on a time axis scaled to the
/// width. Scrolls with ↑↓ when rows outnumber the screen; Esc or Backspace goes back.
///
/// Kept open by trace id as new spans arrive; a trace the store has evicted is said to be so.
/// Golden files: `__Snapshots__/RequestViewGoldenTests/waterfall_*.txt`.
enum WaterfallView {
    /// Draws the waterfall of `traceID` in `state` (or `pinned`, the trace as last seen, after the store
    /// evicts it) from row `scroll`; an evicted trace's message names `backKey`.
    static func render(
        _ state: ClusterState, traceID: TraceID, pinned: RequestTrace?, scroll: Int, rules: HealthRules,
        backKey: String, glyphs g: Glyphs, into screen: inout Screen, body: Rect
    ) {
        guard let w = state.waterfall(traceID, kept: pinned, rules: rules) else {
            let store = state.requests
            let lines = [
                "trace \(traceID.hex) is no longer held:",
                "evicted to stay within \(Format.grouped(store.limits.traces)) traces and "
                    + "\(Format.grouped(store.limits.spans)) spans "
                    + "(\(Format.grouped(store.evictedTraces)) evicted so far).",
                "\(backKey) goes back to the request list."
            ]
            for (i, line) in lines.enumerated() {
                screen.put(
                    line, x: body.x, y: body.y + i, width: body.width, style: i == 0 ? Style(.warn, .bold) : .text,
                    glyphs: g)
            }
            return
        }
        title(w, state, pinned: pinned, glyphs: g, into: &screen, body: body)
        let widest = w.rows.map { $0.depth * 2 + Text.width($0.name) + ($0.isOrphan ? 1 : 0) }.max() ?? 12
        let layout = WaterfallLayout(width: body.width, widestName: widest)
        let titlesY = body.y + 2
        var x = screen.put("  " + Text.fit("SPAN", layout.nameWidth), x: body.x, y: titlesY, style: Style(.dim, .bold))
        for label in layout.labels {
            x = screen.put(
                " " + Text.fit(label.title, label.width, alignRight: label == .duration), x: x, y: titlesY,
                style: Style(.dim, .bold))
        }
        Waterfall.renderScale(w, layout: layout, x: body.x, y: titlesY, into: &screen)
        let visible = WaterfallLayout.visibleRows(body)
        let scroll = min(scroll, max(0, w.rows.count - visible))
        let area = Rect(x: body.x, y: titlesY + 1, width: body.width, height: visible)
        Waterfall.renderRows(w, layout: layout, glyphs: g, area: area, scroll: scroll, into: &screen)
        legend(w, glyphs: g, scroll: scroll, visible: visible, y: body.maxY - 1, body: body, into: &screen)
    }

    /// `TRACE 4bf9… · llama-405b/5 · 3.9s · 4 spans on 2 nodes · ok`, then the gap line.
    private static func title(
        _ w: RequestWaterfall, _ state: ClusterState, pinned: RequestTrace?, glyphs g: Glyphs,
        into screen: inout Screen,
        body: Rect
    ) {
        let held = state.requests[w.traceID]
        let trace = held ?? pinned
        var x = screen.put("TRACE ", x: body.x, y: body.y, style: Style(.accent, .bold))
        x = screen.put(w.traceID.hex, x: x, y: body.y, style: Style(.text, .bold))
        // Pieces in display order with a priority; the least needed go first when the row is short.
        let failed = trace?.isFailed == true
        let nodes = w.nodes.count == 1 ? "1 node" : "\(w.nodes.count) nodes"
        var pieces: [(text: String, priority: Int, style: Style)] = [
            (trace?.replica?.description ?? trace?.model ?? "", 1, .text),
            (RequestText.duration(Double(w.durationNanos) / 1e9), 0, .text),
            ("\(w.spanCount) span\(w.spanCount == 1 ? "" : "s")", 3, .dim),
            ("on \(nodes)", 4, .dim),
            (trace?.statusText ?? "", failed ? 0 : 2, failed ? Style(.crit, .bold) : .dim),
            (held == nil ? "kept on screen: the store has let it go" : "", 5, Style(.warn))
        ].filter { !$0.text.isEmpty }
        func width() -> Int { pieces.reduce(0) { $0 + Text.width(g.separator) + Text.width($1.text) } }
        while x + width() > body.maxX, let worst = pieces.map(\.priority).max(), worst > 0 {
            pieces.remove(at: pieces.lastIndex { $0.priority == worst } ?? 0)
        }
        for piece in pieces {
            x = screen.put(
                piece.text.hasPrefix("on ") ? " " : g.separator, x: x, y: body.y, style: .dim, maxX: body.maxX)
            x = screen.put(piece.text, x: x, y: body.y, style: piece.style, maxX: body.maxX)
        }
        guard let gap = w.gap else { return }
        var gx = screen.put(String(g.warn) + " biggest gap: ", x: body.x, y: body.y + 1, style: Style(.warn, .bold))
        gx = screen.put(gap.text, x: gx, y: body.y + 1, width: body.maxX - gx, style: Style(.warn, .bold), glyphs: g)
    }

    private static func legend(
        _ w: RequestWaterfall, glyphs: Glyphs, scroll: Int, visible: Int, y: Int, body: Rect, into screen: inout Screen
    ) {
        let marks = Waterfall.Marks(glyphs)
        var x = body.x
        let arrows = glyphs.isUnicode ? " ↑↓" : ""
        let position =
            w.rows.count > visible
            ? "rows \(scroll + 1)-\(min(w.rows.count, scroll + visible)) of \(w.rows.count)\(arrows)" : ""
        let limit = body.maxX - Text.width(position) - 1
        let items: [(Unicode.Scalar, Style, String)] = [
            (marks.critical, Style(.accent, .bold), " critical path  "),
            (marks.gap, Style(.warn, .bold), " biggest gap  "),
            (marks.offPath, Style(.dim), " off the path  "),
            (marks.orphan, Style(.warn, .bold), " parent not arrived  ")
        ]
        for (glyph, style, text) in items {
            guard x + 1 + Text.width(text) <= limit else { break }
            screen[x, y] = Cell(glyph, style)
            x = screen.put(text, x: x + 1, y: y, style: .dim)
        }
        screen.put(position, x: body.maxX - Text.width(position), y: y, style: .dim)
    }
}
