import InfertopCore

/// The wall in a small tmux pane (down to 40x12): the freshness, the culprit (in large type when
/// it fits), and the cluster's key figures one per line, most urgent first.
enum WallCompactView {
    static func render(_ wall: WallModel, _ freshness: WallFreshness, into screen: inout Screen) {
        let g = wall.dashboard.glyphs
        let width = screen.width
        let fresh = WallHeader.freshnessText(wall, freshness)
        screen.put("infertop wall", x: 0, y: 0, style: Style(.title, .bold), maxX: width)
        let stale = (freshness.age ?? 0) >= HealthRules().staleAfterSeconds
        screen.put(fresh, x: 0, y: 1, style: stale ? Style(.warn, .bold) : .dim, maxX: width)
        guard let state = wall.dashboard.live else { return }
        var y = 2
        if let culprit = wall.dashboard.culprits.first {
            let role: StyleRole = culprit.severity == .crit ? .crit : .warn
            if screen.height - y >= BigText.rows + 3, let name = WallNames.fitting(culprit.subject, width: width) {
                BigText.draw(name, x: 0, y: y, style: Style(role, .bold), glyphs: g, into: &screen)
                y += BigText.rows
            }
            y = wrap(String(g.warn) + " " + culprit.reason, y: y, lines: 2, style: Style(role), into: &screen)
        } else {
            let s = ClusterSummary(state)
            y = wrap(
                "\(String(g.ok)) no culprit \(g.dot) \(s.replicasServing)/\(s.replicas) replicas serving", y: y,
                lines: 1, style: Style(.ok), into: &screen)
        }
        let s = ClusterSummary(state)
        let figures = [
            "nodes \(s.nodesLive)/\(s.nodes)  \(Format.count(s.tokensPerSecond)) tok/s",
            "TTFT p99 \(Format.duration(s.ttftP99Median))  ITL p99 \(Format.duration(s.itlP99Median))",
            "KV \(Format.percent(s.kvUsage))  replicas \(s.replicasServing)/\(s.replicas)"
        ]
        for line in figures where y < screen.height {
            screen.put(line, x: 0, y: y, style: .text, maxX: width)
            y += 1
        }
    }

    /// Writes `text` over at most `lines` rows, cutting at spaces; returns the next free row.
    static func wrap(_ text: String, y: Int, lines: Int, style: Style, into screen: inout Screen) -> Int {
        var rest = Substring(text)
        var row = y
        while !rest.isEmpty, row < min(screen.height, y + lines) {
            var take = rest.prefix(screen.width)
            if take.count < rest.count, let space = take.lastIndex(of: " "), space > take.startIndex {
                take = rest[rest.startIndex..<space]
            }
            screen.put(String(take), x: 0, y: row, style: style, maxX: screen.width)
            rest = rest[take.endIndex...].drop { $0 == " " }
            row += 1
        }
        return row
    }
}

/// Every source lost: the whole pane says so, in large type when it fits, with the time of day of
/// the newest data, so a frozen picture can never pass for a calm cluster.
enum WallNoDataView {
    static func render(_ wall: WallModel, _ freshness: WallFreshness, into screen: inout Screen) {
        let g = wall.dashboard.glyphs
        let since = freshness.newest.map { wall.clock.timeOfDay($0) } ?? "-"
        let style = Style(.crit, .bold)
        let big = BigText.width("no data") <= screen.width && screen.height >= BigText.rows + 3
        let lines = ["NO DATA since \(since)", freshness.reason]
        let height = (big ? BigText.rows + 1 : 0) + lines.count
        var y = max(0, (screen.height - height) / 2)
        if big {
            BigText.draw(
                "no data", x: max(0, (screen.width - BigText.width("no data")) / 2), y: y, style: style, glyphs: g,
                into: &screen)
            y += BigText.rows + 1
        }
        for line in lines {
            centre(line, y: y, style: style, into: &screen)
            y += 1
        }
    }

    static func centre(_ text: String, y: Int, style: Style, into screen: inout Screen) {
        let x = max(0, (screen.width - Text.width(text)) / 2)
        screen.put(text, x: x, y: y, style: style, maxX: screen.width)
    }
}
