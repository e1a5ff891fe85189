import InfertopCore

/// View 6: the journal's operations and the audit log's calls, newest first: when, which operation,
/// who, what, why and what came of it. Refused, denied and failed lines are red, so the call that
/// did not happen stands out from the ones that did. Golden files: `__Snapshots__/ControlGoldenTests/events_*.txt`.
enum EventsView {
    /// Draws `rows` (filtered by `filter`, newest first) from `scroll`, under a title that counts the
    /// whole journal (`operations`) and `audit` log; the legend offers `:cancel` unless `readOnlyReason`.
    static func render(
        _ rows: [EventRow], operations: [OperationRecord], audit: [AuditRecord], scroll: Int, filter: Filter,
        readOnlyReason: String?, glyphs g: Glyphs, into screen: inout Screen, body: Rect
    ) {
        let ops = operations.count
        let unfinished = operations.filter { !$0.status.isFinished }.count
        let refused = audit.filter { $0.result.hasPrefix("refused") || $0.result.hasPrefix("denied") }.count
        let title =
            "EVENTS newest first\(g.separator)\(ops) operation\(ops == 1 ? "" : "s"), \(unfinished) unfinished"
            + "\(g.separator)\(audit.count) call\(audit.count == 1 ? "" : "s"), \(refused) refused or denied"
        screen.put(title, x: body.x, y: body.y, width: body.width, style: Style(.dim, .bold), glyphs: g)
        let wide = body.width >= 160
        let widths = columns(body.width)
        let titles = ["TIME", "OP", "WHO", "WHAT", wide ? "WHY" : "WHY (RESULT below)"]
        let header = zip(titles, widths).map { Text.fit($0, $1 + 1) }.joined() + (wide ? "RESULT" : "")
        screen.put(
            header, x: body.x, y: body.y + 1, width: body.width,
            style: Style(.dim, .bold), glyphs: g)
        let visible = listRows(body)
        let start = max(0, min(scroll, rows.count - visible))
        for (i, row) in rows.dropFirst(start).prefix(visible).enumerated() {
            let y = body.y + 2 + (wide ? i : 2 * i)
            line(row, widths: widths, wide: wide, x: body.x, y: y, width: body.width, glyphs: g, into: &screen)
        }
        let legendY = body.maxY - 1
        if rows.isEmpty {
            let text =
                filter.isEmpty
                ? "no operations or calls yet: :cordon, :drain and :rebalance are journaled here"
                : "no event matches the filter '\(filter.text)' · Esc clears it"
            screen.put(text, x: body.x + 2, y: body.y + 2, width: body.width - 2, style: Style(.warn), glyphs: g)
        }
        let position = rows.isEmpty ? "" : "\(start + 1)-\(min(rows.count, start + visible)) of \(rows.count)"
        let legend =
            "journal: where each operation stands\(g.separator)audit: what each call got\(g.separator)"
            + (readOnlyReason ?? ":cancel OP stops an operation")
        screen.put(legend, x: body.x, y: legendY, width: body.width - Text.width(position) - 1, style: .dim, glyphs: g)
        screen.put(position, x: body.maxX - Text.width(position), y: legendY, style: .dim)
    }

    /// Events the body shows under the title and header, above the legend: one line each from 160
    /// columns, else two (the result gets a line of its own, so a refusal's sentence stays readable).
    static func listRows(_ body: Rect) -> Int {
        let lines = max(1, body.height - 3)
        return body.width >= 160 ? lines : max(1, lines / 2)
    }

    /// TIME, OP, WHO, WHAT and WHY widths; RESULT takes the rest of the line (or the next line).
    static func columns(_ width: Int) -> [Int] {
        width >= 160 ? [8, 6, 14, 34, 40] : [8, 5, 14, 24, max(8, width - 55)]
    }

    private static func line(
        _ row: EventRow, widths: [Int], wide: Bool, x: Int, y: Int, width: Int, glyphs g: Glyphs,
        into screen: inout Screen
    ) {
        let cells: [(String, Style)] = [
            (Format.clock(row.time), .dim), (row.operation?.rawValue ?? "-", Style(.text, .bold)), (row.who, .text),
            (row.what, .text), (row.why.isEmpty ? "-" : row.why, .dim)
        ]
        var col = x
        for (cell, w) in zip(cells, widths) {
            col = screen.put(Text.fit(cell.0, w, ellipsis: g.ellipsis) + " ", x: col, y: y, style: cell.1)
        }
        let bold: TextAttributes = row.role == .crit || row.role == .warn ? .bold : []
        let resultX = wide ? col : x + widths[0] + 1
        let resultY = wide ? y : y + 1
        let lead = wide ? "" : (g.isUnicode ? "└ " : "` ")
        screen.put(
            lead + row.result, x: resultX, y: resultY, width: x + width - resultX, style: Style(row.role, bold),
            glyphs: g)
    }
}
