import InfertopCore

/// A table of replicas, slowest p99 TTFT first: the way from "p99 is up" to the replica
/// that is slow, with each decode step beside its physical floor.
enum ReplicaTable {
    /// Draws the table in `area`; replicas under pressure (`rules`) are amber, a critical culprit's red.
    static func render(
        _ state: ClusterState, rules: HealthRules, culprits: [Culprit], glyphs g: Glyphs, into screen: inout Screen,
        area: Rect
    ) {
        guard area.height >= 2 else { return }
        let rows = state.replicas.sorted { a, b in
            let sa = state.replicaSamples[a.id]
            let sb = state.replicaSamples[b.id]
            let da = sa?.status == .down ? 1 : 0
            let db = sb?.status == .down ? 1 : 0
            if da != db { return da > db }
            let ta = sa?.ttftP99Seconds ?? 0
            let tb = sb?.ttftP99Seconds ?? 0
            return ta != tb ? ta > tb : a.id < b.id
        }
        let wide = area.width >= 120
        var title =
            Text.fit("REPLICAS slowest first", 24) + Text.fit("LAYOUT", 9) + Text.fit("NODES", 18)
            + Text.fit("TOK/S", 7, alignRight: true) + Text.fit("TTFT p99", 10, alignRight: true)
            + Text.fit("ITL p99", 9, alignRight: true)
        if wide {
            title +=
                Text.fit("STEP", 8, alignRight: true) + Text.fit("FLOOR", 8, alignRight: true)
                + Text.fit("RUN", 6, alignRight: true) + Text.fit("WAIT", 6, alignRight: true)
                + Text.fit("PREEMPT/S", 11, alignRight: true)
        }
        screen.put(title, x: area.x, y: area.y, width: area.width, style: Style(.dim, .bold), glyphs: g)
        for (i, replica) in rows.prefix(area.height - 1).enumerated() {
            let y = area.y + 1 + i
            let nodes = replica.nodes.map(\.name).joined(separator: ",")
            var line =
                Text.fit(replica.id.description, 24, ellipsis: g.ellipsis) + Text.fit(replica.layout, 9)
                + Text.fit(nodes, 18, ellipsis: g.ellipsis)
            guard let s = state.replicaSamples[replica.id], s.status == .serving else {
                screen.put(line + "DOWN", x: area.x, y: y, width: area.width, style: Style(.crit, .bold), glyphs: g)
                continue
            }
            line +=
                Text.fit(Format.count(s.tokensPerSecond), 7, alignRight: true)
                + Text.fit(Format.duration(s.ttftP99Seconds), 10, alignRight: true)
                + Text.fit(Format.duration(s.itlP99Seconds), 9, alignRight: true)
            if wide {
                line +=
                    Text.fit(Format.duration(s.stepSeconds), 8, alignRight: true)
                    + Text.fit(Format.duration(s.floorSeconds), 8, alignRight: true)
                    + Text.fit("\(s.runningRequests)", 6, alignRight: true)
                    + Text.fit("\(s.waitingRequests)", 6, alignRight: true)
                    + Text.fit(Format.fixed(s.preemptionsPerSecond, 1), 11, alignRight: true)
            }
            let pressured = s.waitingRequests > 0 || s.preemptionsPerSecond >= rules.preemptionsPerSecond
            let hurt = culprits.contains { $0.replica == replica.id && $0.severity == .crit }
            screen.put(
                line, x: area.x, y: y, width: area.width, style: Style(hurt ? .crit : pressured ? .warn : .text),
                glyphs: g)
        }
    }
}
