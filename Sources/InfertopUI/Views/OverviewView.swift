import InfertopCore

/// View 1: every node with every GPU's memory and KV cache, worst first.
///
/// One row per node: its name, GPU model and a health marker, then one cell per GPU whose
/// richness follows `OverviewLayout` (a stacked memory bar with KV% down to one glyph).
/// Golden files: `__Snapshots__/ViewGoldenTests/overview_*.txt`.
struct OverviewView {
    let state: ClusterState
    /// Node indexes in the order drawn, filtered, the culprit's first (`Rows.nodes`).
    let rows: [Int]
    let filter: Filter
    let selectedNode: NodeID?
    let markedNodes: Set<NodeID>
    let rules: HealthRules
    /// Culprits worst first: the replica table marks a critical culprit's replica.
    let culprits: [Culprit]
    let glyphs: Glyphs
    let depth: ColorDepth

    func render(into screen: inout Screen, body: Rect) {
        let g = glyphs
        var body = body
        for source in Self.unplacedSources(state).prefix(max(0, body.height / 3)) {
            let (text, role) = SourceText.line(source)
            screen.put(text, x: body.x, y: body.y, width: body.width, style: Style(role, .bold), glyphs: g)
            body = body.dropping(top: 1)
        }
        let layout = OverviewLayout(state: state, nodeCount: rows.count, body: body)
        title(layout, into: &screen, body: body)
        for (i, n) in rows.prefix(layout.visibleCount).enumerated() {
            let (x, y) = layout.origin(of: i, in: body)
            nodeRow(n, layout, x: x, y: y, into: &screen)
        }
        let legendY = body.maxY - 1
        if layout.visibleCount < layout.nodeCount {
            let hidden = layout.nodeCount - layout.visibleCount
            screen.put(
                "+\(hidden) more nodes not shown (healthiest last) · / filters, 2 lists every GPU", x: body.x,
                y: legendY - 1, width: body.width, style: Style(.warn), glyphs: g)
        }
        if rows.isEmpty {
            screen.put(
                "no node matches the filter '\(filter.text)' · Esc clears it", x: body.x, y: body.y + 1,
                width: body.width, style: Style(.warn), glyphs: g)
        }
        Legend.render(glyphs: g, depth: depth, into: &screen, x: body.x, y: legendY, width: body.width)
        // Spare rows below the nodes: the replicas, slowest first.
        let used = layout.visibleCount == 0 ? 1 : min(layout.rowsPerColumn, layout.visibleCount) + 2
        let spare = Rect(x: body.x, y: body.y + used, width: body.width, height: legendY - body.y - used - 1)
        if spare.height >= 3, layout.visibleCount == layout.nodeCount {
            ReplicaTable.render(state, rules: rules, culprits: culprits, glyphs: g, into: &screen, area: spare)
        }
    }

    /// Agents that never told us their node (wrong token, bad address), and fleet sources that
    /// are down or lack some series, one line each.
    static func unplacedSources(_ state: ClusterState) -> [SourceStatus] {
        state.sources.values.filter {
            $0.node == nil && (!$0.state.isLive || ($0.kind == .fleet && !$0.notes.isEmpty))
        }.sorted { $0.address < $1.address }
    }

    private func title(_ layout: OverviewLayout, into screen: inout Screen, body: Rect) {
        let what: String
        switch layout.cell {
        case .bar, .mini: what = "per GPU: memory bar, then KV cache in use %"
        case .gauge: what = "per GPU: KV cache gauge and %"
        case .dot, .cell: what = "one cell per GPU: KV cache in use"
        }
        let nodes = layout.nodeCount == 1 ? "1 node" : "\(layout.nodeCount) nodes"
        let text = "NODES \(nodes), worst first \(glyphs.dot) \(what)"
        screen.put(text, x: body.x, y: body.y, width: body.width, style: Style(.dim, .bold), glyphs: glyphs)
    }

    private func nodeRow(_ n: Int, _ layout: OverviewLayout, x: Int, y: Int, into screen: inout Screen) {
        let node = state.topology.nodes[n]
        let status = state.nodeStatus[n]
        let g = glyphs
        let severity = Rows.severity(ofNode: n, in: state, rules: rules)
        let selected = selectedNode == node.id
        let nameStyle =
            markedNodes.contains(node.id)
            ? Style(.accent, [.bold, .reverse])
            : selected ? Style(.selection, .bold) : Style(.text, severity == .ok ? [] : .bold)
        var col = screen.put(Text.fit(node.id.name, layout.nameWidth), x: x, y: y, style: nameStyle)
        if layout.showsModel {
            col = screen.put(
                " " + Text.fit(node.gpuModel?.shortName ?? (node.gpus.isEmpty ? "no GPU" : "mixed"), 6), x: col, y: y,
                style: .dim)
        }
        let marker: (Unicode.Scalar, StyleRole)
        switch status.reachability {
        case .lost: marker = (g.lost, .crit)
        case .stale: marker = (g.stale, .stale)
        case .live: marker = severity == .ok ? (g.ok, .ok) : (g.warn, severity == .crit ? .crit : .warn)
        }
        screen.put(" ", x: col, y: y)
        screen[col + 1, y] = Cell(marker.0, Style(marker.1, .bold))
        col += 2
        if layout.showsModel { screen.put(" ", x: col, y: y) }
        col = x + layout.labelWidth
        let dimmed = status.reachability != .live
        for (gi, spec) in node.gpus.enumerated() {
            let sample = state.gpuSamples[n][gi]
            GPUCell.render(
                sample, spec: spec, index: gi, layout: layout, rules: rules, glyphs: g, depth: depth, dimmed: dimmed,
                x: col, y: y, into: &screen)
            col += layout.gpuWidth
        }
        if layout.cell == .bar, layout.columns == 1 {
            tail(n, status: status, x: col + 1, y: y, width: x + layout.columnWidth - col - 1, into: &screen)
        }
    }

    /// After the GPUs on a wide screen: what runs on the node, or how long it has been silent.
    private func tail(_ n: Int, status: NodeStatus, x: Int, y: Int, width: Int, into screen: inout Screen) {
        guard width > 4 else { return }
        let node = state.topology.nodes[n].id
        if let source = state.source(of: node), !source.state.isLive {
            screen.put(
                "agent \(SourceText.describe(source.state))", x: x, y: y, width: width,
                style: Style(.crit, .bold), glyphs: glyphs)
            return
        }
        if status.reachability == .live, let problem = state.problems[node]?.first {
            screen.put("! " + problem, x: x, y: y, width: width, style: Style(.warn), glyphs: glyphs)
            return
        }
        if status.reachability == .live, !state.topology.nodes[n].gpus.isEmpty, !state.hasSampledGPUs(n) {
            screen.put("waiting for its first GPU reading", x: x, y: y, width: width, style: .dim, glyphs: glyphs)
            return
        }
        if status.reachability != .live {
            let age = Format.duration(max(0, state.time - status.lastSampleTime))
            screen.put(
                "\(status.reachability.rawValue.uppercased()) \(age)", x: x, y: y, width: width,
                style: Style(status.reachability == .lost ? .crit : .stale, .bold), glyphs: glyphs)
            return
        }
        var names: [String] = []
        for list in state.placement.replicasOnGPU[n] {
            for r in list where !names.contains(state.replicas[r].id.description) {
                names.append(state.replicas[r].id.description)
            }
        }
        let text = names.count > 2 ? "\(names[0]) +\(names.count - 1)" : names.joined(separator: " ")
        screen.put(text, x: x, y: y, width: width, style: .dim, glyphs: glyphs)
    }
}
