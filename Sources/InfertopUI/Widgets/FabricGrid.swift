import InfertopCore

/// Heatmaps of the interconnect: GPU x GPU inside a node, node x node across the fabric.
enum FabricGrid {
    /// The node's GPU x GPU grid: each cell the link's use as a share of its capacity, with the
    /// percentage; `!` where the link reports errors; the row's lanes-up count on the right.
    static func renderNode(
        _ n: Int, _ state: ClusterState, rules: HealthRules, glyphs g: Glyphs, into screen: inout Screen, area: Rect
    ) {
        let node = state.topology.nodes[n]
        let fabric = node.gpus.first?.model.vendor.fabricName ?? "fabric"
        screen.put(
            "\(fabric.uppercased()) \(node.id) (measured: use of each link)", x: area.x, y: area.y, width: area.width,
            style: Style(.dim, .bold), glyphs: g)
        var links: [Int: [Int: FabricLinkSample]] = [:]
        for link in state.fabricLinks[n] { links[link.gpu, default: [:]][link.peer] = link }
        var x = area.x + 6
        for peer in node.gpus.indices {
            screen.put(Text.fit("g\(peer)", 4, alignRight: true), x: x, y: area.y + 1, style: .dim)
            x += 4
        }
        screen.put("  UP", x: x, y: area.y + 1, style: .dim)
        for gpu in node.gpus.indices {
            let y = area.y + 2 + gpu
            var degraded = false
            var up = ""
            if let any = links[gpu]?.values.first {
                up = "\(any.linksUp)/\(any.linksTotal)"
                degraded = any.linksUp < any.linksTotal
            }
            screen.put(Text.fit("gpu\(gpu)", 5), x: area.x, y: y, style: degraded ? Style(.crit, .bold) : .text)
            var col = area.x + 6
            for peer in node.gpus.indices {
                defer { col += 4 }
                guard peer != gpu else {
                    screen.put("  " + String(g.dot) + " ", x: col, y: y, style: .dim)
                    continue
                }
                guard let link = links[gpu]?[peer] else {
                    screen.put("   -", x: col, y: y, style: .dim)
                    continue
                }
                let share = link.utilization
                if rules.isDegraded(link) && link.errorsPerSecond >= rules.fabricErrorsPerSecond {
                    screen.put(" !" + Format.percent2(share), x: col, y: y, style: Style(.crit, .bold))
                } else {
                    screen[col + 1, y] = Cell(g.level(share), Style(StyleRole.heat(share)))
                    screen.put(Format.percent2(share), x: col + 2, y: y, style: .text)
                }
            }
            screen.put(Text.fit(up, 6, alignRight: true), x: col, y: y, style: degraded ? Style(.crit, .bold) : .dim)
        }
    }

    /// Node x node traffic attributed from placement: each replica spanning nodes sends its
    /// activations from stage to stage (tokens/s x hidden size x 2 bytes). The busiest nodes
    /// are shown when all do not fit, and the title says so.
    static func renderNodePairs(
        _ state: ClusterState, focus: NodeID, glyphs g: Glyphs, into screen: inout Screen, area: Rect
    ) {
        var traffic: [NodeID: [NodeID: Double]] = [:]
        for replica in state.replicas where replica.pipelineParallel > 1 {
            guard let s = state.replicaSamples[replica.id], s.status == .serving else { continue }
            let bytes = s.tokensPerSecond * Double(replica.model.hiddenSize) * 2
            var stageNodes: [NodeID] = []
            for stage in 0..<replica.pipelineParallel {
                if let node = replica.shards.first(where: { $0.ppStage == stage })?.gpu.node { stageNodes.append(node) }
            }
            for (a, b) in zip(stageNodes, stageNodes.dropFirst()) where a != b {
                traffic[a, default: [:]][b, default: 0] += bytes
                traffic[b, default: [:]][a, default: 0] += bytes
            }
        }
        let fit = max(1, min((area.width - 10) / 5, area.height - 2))
        let ranked = state.topology.nodes.map(\.id).sorted { a, b in
            let ta = traffic[a]?.values.reduce(0, +) ?? 0
            let tb = traffic[b]?.values.reduce(0, +) ?? 0
            if (a == focus) != (b == focus) { return a == focus }
            // The chosen node's partners next, so its own row is never empty for lack of room.
            let pa = traffic[focus]?[a] != nil
            let pb = traffic[focus]?[b] != nil
            if pa != pb { return pa }
            return ta != tb ? ta > tb : a < b
        }
        let shown = Array(ranked.prefix(fit)).sorted()
        let hidden = state.topology.nodes.count - shown.count
        var title = "FABRIC node x node (attributed from placement: pipeline hops, MB/s)"
        if hidden > 0 { title += " busiest \(shown.count) of \(state.topology.nodes.count)" }
        screen.put(title, x: area.x, y: area.y, width: area.width, style: Style(.dim, .bold), glyphs: g)
        let peak = traffic.values.flatMap(\.values).max() ?? 0
        var x = area.x + 9
        for node in shown {
            screen.put(Text.fit(shortName(node), 5, alignRight: true), x: x, y: area.y + 1, style: .dim)
            x += 5
        }
        for (i, a) in shown.enumerated() where i + 2 < area.height {
            let y = area.y + 2 + i
            screen.put(Text.fit(a.name, 8), x: area.x, y: y, style: a == focus ? Style(.accent, .bold) : .text)
            var col = area.x + 9
            for b in shown {
                defer { col += 5 }
                let bytes = traffic[a]?[b] ?? 0
                guard a != b, bytes > 0 else {
                    screen.put(Text.fit(a == b ? String(g.dot) : "", 5, alignRight: true), x: col, y: y, style: .dim)
                    continue
                }
                let share = peak > 0 ? bytes / peak : 0
                screen[col + 1, y] = Cell(g.level(share), Style(StyleRole.heat(share)))
                screen.put(Text.fit(Format.count(bytes / 1e6), 3, alignRight: true), x: col + 2, y: y, style: .text)
            }
        }
    }

    private static func shortName(_ node: NodeID) -> String {
        String(node.name.split(separator: "-").last ?? Substring(node.name))
    }
}
