import InfertopCore

/// View 4: requests. On top, TTFT, inter-token and end-to-end percentiles per model (and per
/// replica while rows allow) over the sliding window, each beside the decode floor and the ratio
/// to it; then what span storage dropped; then the failed and slowest recent requests. Enter
/// opens the selected request's waterfall (`WaterfallView`, drawn instead while it is open).
///
/// Reads only precomputed figures (percentiles are kept by the store), so drawing costs the
/// rows shown. Golden files: `__Snapshots__/RequestViewGoldenTests/requests_*.txt`.
enum RequestsView {
    /// Draws the view of `state` with `rows` (the requests listed, failed first, narrowed by `filter`),
    /// the selection and scroll offset of `requests`.
    static func render(
        _ state: ClusterState, rows: [RequestTrace], requests: RequestsViewState, filter: Filter, glyphs g: Glyphs,
        into screen: inout Screen, body: Rect
    ) {
        let layout = RequestsLayout(body: body, stats: state.requests.latency)
        LatencyTable.render(state, layout: layout, glyphs: g, into: &screen)
        storage(state, y: layout.storageY, width: body.width, glyphs: g, into: &screen)
        let start = min(requests.listScroll, max(0, rows.count - layout.listRows))
        let selected = requests.selected.flatMap { id in rows.contains { $0.id == id } ? id : nil } ?? rows.first?.id
        let area = Rect(x: body.x, y: layout.listY, width: body.width, height: layout.listRows)
        RequestList.render(
            rows, start: start, selected: selected, newestNanos: state.requests.latency.newestEndNanos, area: area,
            titleY: layout.listTitleY, glyphs: g, into: &screen)
        if rows.isEmpty {
            let text =
                state.requests.isEmpty
                ? "no requests yet: spans arrive from the engines through each agent's OTLP receiver"
                : "no request matches the filter '\(filter.text)' · Esc clears it"
            screen.put(text, x: body.x + 2, y: layout.listY, width: body.width - 2, style: Style(.warn), glyphs: g)
        }
        let failed = rows.filter(\.isFailed).count
        let position = rows.isEmpty ? "" : "\(start + 1)-\(min(rows.count, start + layout.listRows)) of \(rows.count)"
        let legend =
            "\(failed) failed first, then the slowest \(g.dot) \(g.isUnicode ? "⏎" : "Enter") opens the waterfall"
        screen.put(
            legend, x: body.x, y: layout.legendY, width: body.width - Text.width(position) - 1, style: .dim, glyphs: g)
        screen.put(position, x: body.maxX - Text.width(position), y: layout.legendY, style: .dim)
    }

    /// `SPANS 1,834 in 600 traces · evicted 12 · 1,204 never delivered (node-03 storage full)`: spans
    /// the agents could not get to this dashboard, or `every span delivered`; the
    /// evictions and refusals of the dashboard's own store only when there were some.
    private static func storage(_ state: ClusterState, y: Int, width: Int, glyphs g: Glyphs, into screen: inout Screen)
    {
        let store = state.requests
        let sep = g.separator
        var x = screen.put("SPANS ", x: 0, y: y, style: Style(.dim, .bold))
        let held =
            "\(Format.grouped(store.spanCount)) in \(Format.grouped(store.count)) traces"
        x = screen.put(held, x: x, y: y, style: .text, maxX: width)
        var extra = store.evictedTraces > 0 ? "\(sep)evicted \(Format.grouped(store.evictedTraces))" : ""
        if store.refusedSpans > 0 { extra += "\(sep)refused \(Format.grouped(store.refusedSpans))" }
        x = screen.put(extra, x: x, y: y, style: .dim, maxX: width)
        x = screen.put(sep, x: x, y: y, style: .dim, maxX: width)
        let dropped = state.spansDropped
        guard dropped > 0 else {
            screen.put("every span delivered", x: x, y: y, width: width - x, style: .dim, glyphs: g)
            return
        }
        // Only spans no dashboard received: pushed out of an agent's storage undelivered, or
        // cut from a slow reader's pending update. Spans the ring lets go after delivery are not.
        screen.put(
            "\(Format.grouped(dropped)) never delivered (\(dropReason(state)))", x: x, y: y, width: width - x,
            style: Style(.warn, .bold), glyphs: g)
    }

    /// `node-03 storage full`, `most on node-03`, with `+2 nodes` when others dropped too.
    static func dropReason(_ state: ClusterState) -> String {
        let dropping = state.spanStorage.filter { $0.value.dropped > 0 }
        guard
            let worst = dropping.max(by: { a, b in
                a.value.dropped != b.value.dropped ? a.value.dropped < b.value.dropped : a.key > b.key
            })
        else { return "" }
        let full = worst.value.capacity > 0 && worst.value.stored >= worst.value.capacity
        var text = full ? "\(worst.key) storage full" : "most on \(worst.key)"
        if dropping.count > 1 { text += ", +\(dropping.count - 1) node\(dropping.count > 2 ? "s" : "")" }
        return text
    }
}
