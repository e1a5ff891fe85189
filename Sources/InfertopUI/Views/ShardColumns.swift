import InfertopCore

/// The columns of view 5's table, narrow (80) or wide (120 and more): what each row says of a stage.
struct ShardColumns {
    let wide: Bool

    private var widths: [Int] {
        wide ? [2, 16, 9, 5, 10, 8, 10, 8, 9, 10] : [2, 13, 8, 4, 8, 0, 8, 7, 0, 10]
    }

    var header: String {
        let titles = ["", "REPLICA", "LAYOUT", "PP", "NODE", "GPU", "GPUS", "W/GPU", "SERVING", "LIFECYCLE"]
        return zip(titles, widths).map { Text.fit($0, $1) }.joined() + "OPERATION"
    }

    func render(
        _ row: ShardsView.Row, state: ClusterState, operations: [OperationRecord], glyphs g: Glyphs, marked: Bool,
        selected: Bool, x: Int, y: Int, width: Int, into screen: inout Screen
    ) {
        let w = widths
        let first = row.stage == 0
        let node = row.nodes.first
        let n = node.flatMap { state.topology.nodeIndex(of: $0) }
        let status = n.map { state.nodeStatus[$0] }
        let base = selected ? Style(.selection, .bold) : marked ? Style(.accent, .bold) : Style.text
        let mark = marked ? (g.isUnicode ? "✓" : "*") : ""
        var col = screen.put(Text.fit(first ? mark : "", w[0]), x: x, y: y, style: Style(.accent, .bold))
        let weights = row.shards.isEmpty ? 0 : row.shards.reduce(0) { $0 + $1.weightsBytes } / UInt64(row.shards.count)
        var cells = [
            (first ? row.replica.id.description : "", base), (first ? row.replica.layout : "", base),
            ("\(row.stage + 1)/\(max(1, row.replica.pipelineParallel))", Style.dim),
            (row.nodes.map(\.name).joined(separator: ","), base)
        ]
        if wide { cells.append((n.flatMap { state.topology.nodes[$0].gpuModel?.shortName } ?? "mixed", Style.dim)) }
        cells.append(("gpu" + GPUText.runs(row.shards.map(\.gpu.index).sorted()), base))
        cells.append((Format.gib(weights) + "G", Style.text))
        if wide {
            let serving = state.replicaSamples[row.replica.id]?.status ?? .serving
            cells.append(
                (serving == .serving ? "serving" : "DOWN", serving == .serving ? Style.dim : Style(.crit, .bold)))
        }
        let lifecycle = status.map { $0.reachability == .lost ? "LOST" : $0.lifecycle.rawValue } ?? "?"
        let lifeRole: StyleRole = lifecycle == "ACTIVE" ? .dim : lifecycle == "LOST" ? .crit : .warn
        cells.append((lifecycle, Style(lifeRole, lifeRole == .dim ? [] : .bold)))
        let widthsShown = Array(w.dropFirst()).filter { $0 > 0 }
        for (cell, cw) in zip(cells, widthsShown) {
            col = screen.put(Text.fit(cell.0, cw, ellipsis: g.ellipsis), x: col, y: y, style: cell.1)
        }
        guard let op = operation(touching: row, operations) else { return }
        var text = "\(op.id) \(op.kind)"
        if wide, let step = op.currentStep { text += ": \(step.name)" }
        screen.put(text, x: col, y: y, width: x + width - col, style: Style(.warn), glyphs: g)
    }

    /// The newest unfinished operation on one of the stage's nodes.
    private func operation(touching row: ShardsView.Row, _ operations: [OperationRecord]) -> OperationRecord? {
        let nodes = Set(row.nodes)
        return operations.filter { !$0.status.isFinished && $0.targets.contains(where: nodes.contains) }
            .max { $0.createdAt < $1.createdAt }
    }
}
