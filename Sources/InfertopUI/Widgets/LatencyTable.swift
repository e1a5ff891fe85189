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

    static func render(_ model: Model, _ state: ClusterState, layout: RequestsLayout, into screen: inout Screen) {
        let g = model.glyphs
        let area = layout.body
        let stats = state.requests.latency
        let widestReplica = stats.replicasByModel.values.flatMap { $0 }.map { Text.width($0.description) }.max() ?? 0
        let nameWidth = min(24, max(16, widestReplica + 3))
        let columns = fit(Self.columns, width: area.width - nameWidth)
        let y0 = layout.tableY
        let window = "LATENCY last \(Int(stats.windowSeconds.rounded()))s"
        screen.put(Text.fit(window, nameWidth), x: area.x, y: y0, style: Style(.accent, .bold))
        screen.put(Text.fit("MODEL / REPLICA", nameWidth), x: area.x, y: y0 + 1, style: Style(.dim, .bold))
        var x = area.x + nameWidth
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
        guard !layout.tableRows.isEmpty else {
            let text =
                "no engine spans in the last \(Int(stats.windowSeconds.rounded()))s"
                + " (vLLM sends them with --otlp-traces-endpoint to the agent's OTLP receiver)"
            screen.put(text, x: area.x, y: y0 + 2, width: area.width, style: .dim, glyphs: g)
            return
        }
        for (r, tableRow) in layout.tableRows.enumerated() {
            let y = y0 + 2 + r
            let name: String
            let row: Row
            switch tableRow {
            case .model(let m):
                guard let s = stats.summary(model: m) else { continue }
                let count = stats.replicasByModel[m]?.count ?? 0
                name = m
                row = Row(
                    summary: s, floorSeconds: state.decodeFloorSeconds(model: m),
                    nodes: count == 1 ? "1 replica" : "\(count) replicas")
            case .replica(let id):
                guard let s = stats.summary(replica: id) else { continue }
                name = "  " + id.description
                let nodes = state.replica(id)?.nodes.map(\.name).joined(separator: ",") ?? "not placed"
                row = Row(summary: s, floorSeconds: state.decodeFloorSeconds(replica: id), nodes: nodes)
            }
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
