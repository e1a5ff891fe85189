import InfertopCore

/// The busiest or erroring network ports, measured per port, with a strip of their recent
/// use (port x time); ports that are down or erroring come first.
enum PortTable {
    static func render(_ state: ClusterState, glyphs g: Glyphs, into screen: inout Screen, area: Rect) {
        guard area.height >= 3 else { return }
        struct Row {
            let n: Int
            let p: Int
            let sample: PortSample
            let share: Double
        }
        var rows: [Row] = []
        for (n, node) in state.topology.nodes.enumerated() {
            for sample in state.ports[n] {
                guard let p = node.ports.firstIndex(where: { $0.name == sample.port }) else { continue }
                let busier = max(sample.txBytesPerSecond, sample.rxBytesPerSecond)
                let share = sample.rateBytesPerSecond > 0 ? busier / sample.rateBytesPerSecond : 0
                rows.append(Row(n: n, p: p, sample: sample, share: share))
            }
        }
        rows.sort { a, b in
            let ba = a.sample.state != .active || a.sample.errorsPerSecond > 0
            let bb = b.sample.state != .active || b.sample.errorsPerSecond > 0
            if ba != bb { return ba }
            return a.share != b.share ? a.share > b.share : (a.n, a.p) < (b.n, b.p)
        }
        let total = rows.count
        let fit = area.height - 2
        var title = "PORTS busiest or erroring first (measured per port)"
        if total > fit { title += ": \(fit) of \(total)" }
        screen.put(title, x: area.x, y: area.y, width: area.width, style: Style(.dim, .bold), glyphs: g)
        let strip = max(0, min(60, area.width - 70))
        screen.put(
            Text.fit("NODE", 10) + Text.fit("PORT", 9) + Text.fit("STATE", 8) + Text.fit("RATE", 9)
                + Text.fit("TX", 10, alignRight: true) + Text.fit("RX", 10, alignRight: true)
                + Text.fit("USE", 6, alignRight: true) + Text.fit("ERR/S", 7, alignRight: true)
                + (strip > 0 ? "  USE, LAST 2 MIN" : ""),
            x: area.x, y: area.y + 1, width: area.width, style: Style(.dim), glyphs: g)
        for (i, row) in rows.prefix(fit).enumerated() {
            let y = area.y + 2 + i
            let s = row.sample
            let bad = s.state != .active || s.errorsPerSecond > 0
            let line =
                Text.fit(state.topology.nodes[row.n].id.name, 10) + Text.fit(s.port, 9)
                + Text.fit(s.state.rawValue, 8) + Text.fit("\(Int(s.rateBytesPerSecond * 8 / 1e9)) Gb/s", 9)
                + Text.fit(Format.fixed(s.txBytesPerSecond / 1e9, 2) + " GB/s", 10, alignRight: true)
                + Text.fit(Format.fixed(s.rxBytesPerSecond / 1e9, 2) + " GB/s", 10, alignRight: true)
                + Text.fit(Format.percent(row.share), 6, alignRight: true)
                + Text.fit(Format.fixed(s.errorsPerSecond, 0), 7, alignRight: true)
            screen.put(line, x: area.x, y: y, width: area.width, style: Style(bad ? .crit : .text), glyphs: g)
            if strip > 0 {
                let end = area.x + Text.width(line)
                Sparkline.render(
                    state.portHistory[row.n][row.p].values, into: &screen, x: end + 2, y: y, width: strip,
                    glyphs: g, style: Style(bad ? .crit : .accent))
            }
        }
    }
}
