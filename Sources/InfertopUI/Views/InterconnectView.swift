import InfertopCore

/// View 3: where the bytes flow. The selected node's GPU x GPU NVLink/xGMI heatmap (measured,
/// as a share of each link's capacity, errors and lanes down marked), a node x node fabric map
/// (attributed from placement: pipeline hops of replicas that span nodes), and the busiest or
/// erroring network ports with their recent history (measured per port).
/// Golden files: `__Snapshots__/ViewGoldenTests/interconnect_*.txt`.
enum InterconnectView {
    /// Draws the view of `state` around the `selectedNode`, else the `culpritNode` (see `focusNode`).
    static func render(
        _ state: ClusterState, selectedNode: NodeID?, culpritNode: NodeID?, rules: HealthRules, glyphs g: Glyphs,
        into screen: inout Screen, body: Rect
    ) {
        guard let n = focusNode(state, selected: selectedNode, culprit: culpritNode) else {
            screen.put("no nodes yet", x: body.x, y: body.y, style: .dim)
            return
        }
        let node = state.topology.nodes[n]
        let gridHeight = node.gpus.count + 3
        let left = Rect(x: body.x, y: body.y, width: min(body.width, 8 + node.gpus.count * 4 + 12), height: gridHeight)
        FabricGrid.renderNode(n, state, rules: rules, glyphs: g, into: &screen, area: left)
        let rightX = left.maxX + 3
        let pairArea = Rect(x: rightX, y: body.y, width: body.maxX - rightX, height: gridHeight)
        if pairArea.width >= 30 {
            FabricGrid.renderNodePairs(state, focus: node.id, glyphs: g, into: &screen, area: pairArea)
        }
        let portsArea = Rect(
            x: body.x, y: body.y + gridHeight + 1, width: body.width, height: body.maxY - 1 - (body.y + gridHeight + 1))
        PortTable.render(state, glyphs: g, into: &screen, area: portsArea)
        legend(glyphs: g, into: &screen, x: body.x, y: body.maxY - 1, width: body.width)
    }

    /// The node shown: the selection, else the culprit's node, else the first.
    static func focusNode(_ state: ClusterState, selected: NodeID?, culprit: NodeID?) -> Int? {
        for id in [selected, culprit].compactMap({ $0 }) {
            if let n = state.topology.nodeIndex(of: id) { return n }
        }
        return state.topology.nodes.isEmpty ? nil : 0
    }

    private static func legend(glyphs: Glyphs, into screen: inout Screen, x: Int, y: Int, width: Int) {
        var col = screen.put("scale, share of capacity: 0% ", x: x, y: y, style: .dim)
        for step in 0..<10 {
            let share = Double(step) / 9
            screen[col, y] = Cell(glyphs.level(share), Style(StyleRole.heat(share)))
            col += 1
        }
        col = screen.put(" 100%  ", x: col, y: y, style: .dim)
        col = screen.put("!", x: col, y: y, style: Style(.crit, .bold))
        screen.put(
            " errors or lanes down   ↑↓ choose the node", x: col, y: y, width: x + width - col, style: .dim,
            glyphs: glyphs)
    }
}
