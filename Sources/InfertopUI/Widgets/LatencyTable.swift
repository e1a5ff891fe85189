import InfertopCore

/// Latency beside its floor: per model (and per replica under it, indented) the requests of the
/// window, TTFT, ITL and end-to-end p50/p90/p99, the decode floor and the ratio of ITL p50 to it.
///
/// Two header rows: the figure's name over its percentiles, then the percentiles. Columns drop
/// by priority as the screen narrows (the p90s first), never past the table's width.
enum LatencyTable {
    /// A figure column: its group (drawn over its percentiles), title, width and drop priority.
    struct Column: Sendable {
        let group: String
        let title: String
        let width: Int
        let priority: Int
        var alignRight = true
        let value: @Sendable (Row) -> (String, StyleRole)
    }

    /// What one table row shows.
    struct Row: Sendable {
        let summary: LatencySummary
        let floorSeconds: Double?
        let nodes: String
    }

    /// Draws the table where `layout` puts it: the header rows, then a row per model and replica.
    static func render(_ state: ClusterState, layout: RequestsLayout, glyphs g: Glyphs, into screen: inout Screen) {
        let area = layout.body
        let stats = state.requests.latency
        let widestReplica = stats.replicasByModel.values.flatMap { $0 }.map { Text.width($0.description) }.max() ?? 0
        let nameWidth = min(24, max(16, widestReplica + 3))
        let columns = fit(Self.columns, width: area.width - nameWidth)
        header(
            columns, windowSeconds: stats.windowSeconds, nameWidth: nameWidth, x: area.x, y: layout.tableY, g,
            into: &screen)
        guard !layout.tableRows.isEmpty else {
            let text =
                "no engine spans in the last \(Int(stats.windowSeconds.rounded()))s"
                + " (vLLM sends them with --otlp-traces-endpoint to the agent's OTLP receiver)"
            screen.put(text, x: area.x, y: layout.tableY + 2, width: area.width, style: .dim, glyphs: g)
            return
        }
        for (r, tableRow) in layout.tableRows.enumerated() {
            guard let (name, row) = Self.row(tableRow, state) else { continue }
            let y = layout.tableY + 2 + r
            let isModel = if case .model = tableRow { true } else { false }
            var col = screen.put(
                Text.fit(name, nameWidth, ellipsis: g.ellipsis), x: area.x, y: y,
                style: isModel ? Style(.text, .bold) : .text)
            for c in columns {
                let (text, role) = c.value(row)
                col = screen.put(
                    " " + Text.fit(text, c.width, ellipsis: g.ellipsis, alignRight: c.alignRight), x: col,
                    y: y, style: Style(role, role == .text || role == .dim ? [] : .bold))
            }
        }
    }

    /// The two header rows: the window and each group's name over its columns, then the column titles.
    private static func header(
        _ columns: [Column], windowSeconds: Double, nameWidth: Int, x x0: Int, y y0: Int, _ g: Glyphs,
        into screen: inout Screen
    ) {
        let window = "LATENCY last \(Int(windowSeconds.rounded()))s"
        screen.put(Text.fit(window, nameWidth), x: x0, y: y0, style: Style(.accent, .bold))
        screen.put(Text.fit("MODEL / REPLICA", nameWidth), x: x0, y: y0 + 1, style: Style(.dim, .bold))
        var x = x0 + nameWidth
        var i = 0
        while i < columns.count {
            var j = i
            var span = 0
            while j < columns.count, columns[j].group == columns[i].group {
                span += columns[j].width + 1
                j += 1
            }
            if !columns[i].group.isEmpty {
                groupTitle(columns[i].group, x: x + 1, width: span - 1, y: y0, g, into: &screen)
            }
            for c in columns[i..<j] {
                let title = " " + Text.fit(c.title, c.width, alignRight: c.alignRight)
                x = screen.put(title, x: x, y: y0 + 1, style: Style(.dim, .bold))
            }
            i = j
        }
    }

    /// A table row's name (a replica's indented under its model) and figures; nil when the window has none.
    private static func row(_ tableRow: RequestsLayout.TableRow, _ state: ClusterState) -> (String, Row)? {
        let stats = state.requests.latency
        switch tableRow {
        case .model(let m):
            guard let s = stats.summary(model: m) else { return nil }
            let count = stats.replicasByModel[m]?.count ?? 0
            let nodes = count == 1 ? "1 replica" : "\(count) replicas"
            return (m, Row(summary: s, floorSeconds: state.decodeFloorSeconds(model: m), nodes: nodes))
        case .replica(let id):
            guard let s = stats.summary(replica: id) else { return nil }
            let nodes = state.replica(id)?.nodes.map(\.name).joined(separator: ",") ?? "not placed"
            return (
                "  " + id.description,
                Row(summary: s, floorSeconds: state.decodeFloorSeconds(replica: id), nodes: nodes)
            )
        }
    }

    private static func groupTitle(_ title: String, x: Int, width: Int, y: Int, _ g: Glyphs, into screen: inout Screen)
    {
        guard width > 0 else { return }
        let label = Text.width(title) + 2 <= width ? " \(title) " : Text.fit(title, width)
        let left = (width - Text.width(label)) / 2
        screen.repeatGlyph(g.horizontal, count: width, x: x, y: y, style: .dim)
        screen.put(label, x: x + left, y: y, style: Style(.dim, .bold))
    }

    /// The columns that fit, dropping a whole priority tier at a time (all p90s go together).
    static func fit(_ all: [Column], width: Int) -> [Column] {
        var chosen = all
        while chosen.reduce(0, { $0 + $1.width + 1 }) > width, let worst = chosen.map(\.priority).max() {
            chosen.removeAll { $0.priority == worst }
        }
        return chosen
    }

    private static func duration(_ p: Percentiles?, _ path: KeyPath<Percentiles, Double>) -> (String, StyleRole) {
        guard let p else { return ("-", .dim) }
        return (Format.duration(p[keyPath: path]), .text)
    }

    static let columns: [Column] = [
        Column(group: "", title: "REQS", width: 5, priority: 1) { r in (Format.count(Double(r.summary.count)), .text) },
        Column(group: "TTFT", title: "p50", width: 5, priority: 0) { duration($0.summary.ttft, \.p50) },
        Column(group: "TTFT", title: "p90", width: 5, priority: 3) { duration($0.summary.ttft, \.p90) },
        Column(group: "TTFT", title: "p99", width: 5, priority: 0) { duration($0.summary.ttft, \.p99) },
        Column(group: "ITL", title: "p50", width: 5, priority: 0) { duration($0.summary.itl, \.p50) },
        Column(group: "ITL", title: "p90", width: 5, priority: 3) { duration($0.summary.itl, \.p90) },
        Column(group: "ITL", title: "p99", width: 5, priority: 2) { duration($0.summary.itl, \.p99) },
        Column(group: "vs FLOOR", title: "floor", width: 6, priority: 0) { r in
            (r.floorSeconds.map(Format.duration) ?? "-", r.floorSeconds == nil ? .dim : .text)
        },
        Column(group: "vs FLOOR", title: "ratio", width: 5, priority: 0) { r in
            guard let ratio = r.summary.floorRatio(floorSeconds: r.floorSeconds) else { return ("-", .dim) }
            return (Format.ratio(ratio), ratio >= 8 ? .crit : ratio >= 5 ? .warn : .text)
        },
        Column(group: "E2E", title: "p50", width: 5, priority: 1) { duration($0.summary.e2e, \.p50) },
        Column(group: "E2E", title: "p90", width: 5, priority: 3) { duration($0.summary.e2e, \.p90) },
        Column(group: "E2E", title: "p99", width: 5, priority: 1) { duration($0.summary.e2e, \.p99) },
        Column(group: "", title: "NODES", width: 17, priority: 4, alignRight: false) { r in (r.nodes, .dim) }
    ]
}
