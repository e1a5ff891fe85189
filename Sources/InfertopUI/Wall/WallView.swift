import InfertopCore

/// Draws the wall: a header with the freshness of the data, the culprit in large type while
/// there is one, and the view that shows it (or the view the cycle is on) below.
///
/// Below 80x24 it draws the compact layout (`WallCompactView`); when every source is lost, the
/// whole pane says `NO DATA since …` (`WallNoDataView`). Pure: the same wall gives the same screen.
public func wallView(_ wall: WallModel) -> Screen {
    var screen = Screen(size: wall.size)
    let freshness = WallFreshness(wall.dashboard.live)
    if freshness.noData {
        WallNoDataView.render(wall, freshness, into: &screen)
    } else if wall.size.columns < Size.minimum.columns || wall.size.rows < Size.minimum.rows {
        WallCompactView.render(wall, freshness, into: &screen)
    } else {
        WallFullView.render(wall, freshness, into: &screen)
    }
    if !wall.dashboard.glyphs.isUnicode { screen.asciify() }
    return screen
}

/// The wall at 80x24 and up: header, banner, the view's body, a footer saying what it does.
enum WallFullView {
    static let bannerRows = BigText.rows + 2

    static func render(_ wall: WallModel, _ freshness: WallFreshness, into screen: inout Screen) {
        let size = wall.size
        let g = wall.dashboard.glyphs
        WallHeader.render(wall, freshness, into: &screen)
        let culprit = wall.dashboard.culprits.first
        var top = 1
        if let culprit, let name = WallNames.fitting(culprit.subject, width: size.columns - 2),
            size.rows - bannerRows - 2 + ScreenLayout.headerRows + ScreenLayout.footerRows >= Size.minimum.rows
        {
            let role: StyleRole = culprit.severity == .crit ? .crit : .warn
            BigText.draw(name, x: 1, y: 1, style: Style(role, .bold), glyphs: g, into: &screen)
            top = 1 + BigText.rows + 1
        }
        // The body comes from the dashboard drawn at a size whose body is the room left; its
        // row 1 is the culprit line (or the calm no-culprit line), kept above the body.
        let bodyRows = size.rows - top - 1 - 1
        let inner = Size(columns: size.columns, rows: bodyRows + ScreenLayout.headerRows + ScreenLayout.footerRows)
        let frame = view(wallFrameModel(wall, size: inner))
        copyRow(frame, from: 1, to: top, into: &screen)
        for row in 0..<bodyRows {
            copyRow(frame, from: ScreenLayout.headerRows + row, to: top + 1 + row, into: &screen)
        }
        WallFooter.render(wall, holding: culprit != nil, y: size.rows - 1, into: &screen)
    }

    static func copyRow(_ from: Screen, from row: Int, to target: Int, into screen: inout Screen) {
        guard row < from.height, target < screen.height else { return }
        for x in 0..<min(from.width, screen.width) { screen[x, target] = from[x, row] }
    }
}

/// Row 0 of the wall: the cluster's figures on the left; on the right the age of the newest
/// data and its time of day, always visible.
enum WallHeader {
    static func render(_ wall: WallModel, _ freshness: WallFreshness, into screen: inout Screen) {
        let g = wall.dashboard.glyphs
        let right = freshnessText(wall, freshness)
        let stale = (freshness.age ?? 0) >= HealthRules().staleAfterSeconds
        let rightX = screen.width - Text.width(right)
        var pieces: [String] = wall.dashboard.source.isEmpty ? [] : [wall.dashboard.source]
        if let state = wall.dashboard.live {
            let s = ClusterSummary(state)
            pieces += [
                "\(s.nodesLive)/\(s.nodes) nodes", "\(Format.count(s.tokensPerSecond)) tok/s",
                "TTFT p99 \(Format.duration(s.ttftP99Median))", "ITL p99 \(Format.duration(s.itlP99Median))",
                "KV \(Format.percent(s.kvUsage))"
            ]
        }
        // Whole figures only: the least urgent go first when the pane is narrow.
        let title = "infertop wall"
        while !pieces.isEmpty, Text.width(title + g.separator + pieces.joined(separator: g.separator)) > rightX - 1 {
            pieces.removeLast()
        }
        let x = screen.put(title, x: 0, y: 0, style: Style(.title, .bold), maxX: rightX - 1)
        if !pieces.isEmpty {
            screen.put(g.separator + pieces.joined(separator: g.separator), x: x, y: 0, style: .text, maxX: rightX - 1)
        }
        screen.put(right, x: rightX, y: 0, style: stale ? Style(.warn, .bold) : .dim)
    }

    /// `data 0.4s old · 02:14:07`, or `waiting for data` before any.
    static func freshnessText(_ wall: WallModel, _ freshness: WallFreshness) -> String {
        guard let newest = freshness.newest, let age = freshness.age else { return "waiting for data" }
        let text = age < 60 ? Format.fixed(age, 1) + "s" : Format.duration(age)
        return "data \(text) old \(wall.dashboard.glyphs.dot) \(wall.clock.timeOfDay(newest))"
    }
}

/// The last row: what the wall is doing, so a passer-by knows the picture moves on its own.
enum WallFooter {
    static func render(_ wall: WallModel, holding: Bool, y: Int, into screen: inout Screen) {
        let g = wall.dashboard.glyphs
        let views = wall.settings.views.map(\.rawValue)
        let text: String
        if holding {
            text = "holding on the culprit \(g.dot) cycle resumes when it clears \(g.dot) read-only \(g.dot) q quits"
        } else {
            let position = "\(wall.cycleIndex % views.count + 1)/\(views.count)"
            text =
                "\(wall.cycledView.rawValue) \(position) \(g.dot) cycling \(views.joined(separator: ", ")) every \(Format.duration(wall.settings.cycleSeconds)) \(g.dot) read-only \(g.dot) q quits"
        }
        screen.put(text, x: 0, y: y, style: .dim, maxX: screen.width)
    }
}

/// Short names of culprits for large type, longest that fits first.
enum WallNames {
    /// `node-10 gpu6`, `node-13 gpu2-gpu5`, `node-04 mlx5_0`, `node-07`, `llama-405b/3`.
    static func full(_ subject: CulpritSubject) -> String {
        switch subject {
        case .gpu(let g): "\(g.node.name) gpu\(g.index)"
        case .link(let g, let peer): "\(g.node.name) gpu\(g.index)-gpu\(peer)"
        case .node(let n): n.name
        case .port(let n, let p): "\(n.name) \(p)"
        case .replica(let r): r.description
        }
    }

    /// The full name if it fits `width` in large type, else the part after the node (`gpu6`,
    /// with the node on the line below in normal type), else nil.
    static func fitting(_ subject: CulpritSubject, width: Int) -> String? {
        let name = full(subject)
        if BigText.width(name) <= width { return name }
        if let space = name.firstIndex(of: " ") {
            let short = String(name[name.index(after: space)...])
            if BigText.width(short) <= width { return short }
        }
        return nil
    }
}
