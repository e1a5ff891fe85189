import InfertopCore

/// View 5: where every shard sits, the previewed plan before and after, and operations live.
///
/// On top, one row per replica and PP stage: the node and GPU range of the stage, weights per GPU,
/// the node's lifecycle and the operation touching it. Below, while a plan is previewed, each move
/// as BEFORE → AFTER with its steps; then the operations, the unfinished ones step by step with
/// elapsed time and what each waits for. Elapsed times use the agents' clock (`reportedTime`), so
/// the screen is a pure function of the model. Golden files: `__Snapshots__/ControlGoldenTests/shards_*.txt`.
enum ShardsView {
    /// Draws `replicas` (those of `state` listed, the ones being changed first) with the `selected` and
    /// `marked` ones shown, the `preview`ed plan if any and the journal's `operations`.
    static func render(
        _ state: ClusterState, replicas: [ReplicaSpec], preview: RebalancePlan?, operations: [OperationRecord],
        selected: ReplicaID?, marked: Set<ReplicaID>, glyphs: Glyphs, into screen: inout Screen, body: Rect
    ) {
        let rows = tableRows(replicas, state)
        let plan = preview.map { PlanSection(plan: $0, operations: operations) }
        // Below 30 rows an unfinished operation shows its current step only, so the table keeps room.
        let ops = OperationsSection(operations, now: state.reportedTime ?? state.time, compact: body.height < 30)
        let heights = split(body.height - 1, table: rows.count + 1, plan: plan?.height ?? 0, ops: ops.height)
        title(state, replicas: replicas.count, marked: marked.count, glyphs: glyphs, into: &screen, body: body)
        var y = body.y + 1
        let tableArea = Rect(x: body.x, y: y, width: body.width, height: heights.table)
        table(
            rows, state, operations: operations, selected: selected, marked: marked, glyphs: glyphs, area: tableArea,
            into: &screen)
        y += heights.table
        plan?.render(
            glyphs: glyphs, area: Rect(x: body.x, y: y, width: body.width, height: heights.plan), into: &screen)
        y += heights.plan
        ops.render(glyphs: glyphs, area: Rect(x: body.x, y: y, width: body.width, height: heights.ops), into: &screen)
    }

    /// Rows for the table, the plan and the operations: the table keeps a third of the body (or all
    /// it needs), the plan and the operations share the rest, and what they leave goes back to the table.
    static func split(_ height: Int, table: Int, plan: Int, ops: Int) -> (table: Int, plan: Int, ops: Int) {
        let keep = min(table, max(5, height / 3))
        let rest = max(0, height - keep)
        var planRows = min(plan, ops > 0 ? max(rest / 2, rest - ops) : rest)
        let opsRows = min(ops, rest - planRows)
        planRows = min(plan, rest - opsRows)
        return (min(table, height - planRows - opsRows), planRows, opsRows)
    }

    /// One stage of one replica: the row the table draws.
    struct Row {
        let replica: ReplicaSpec
        let stage: Int
        let shards: [Shard]
        var nodes: [NodeID] { shards.reduce(into: []) { if !$0.contains($1.gpu.node) { $0.append($1.gpu.node) } } }
    }

    static func tableRows(_ replicas: [ReplicaSpec], _ state: ClusterState) -> [Row] {
        replicas.flatMap { replica in
            (0..<max(1, replica.pipelineParallel)).map { stage in
                Row(replica: replica, stage: stage, shards: replica.shards.filter { $0.ppStage == stage })
            }
        }
    }

    private static func title(
        _ state: ClusterState, replicas: Int, marked: Int, glyphs g: Glyphs, into screen: inout Screen, body: Rect
    ) {
        let gpus = Set(state.replicas.flatMap(\.gpus)).count
        let out = state.nodeStatus.filter { $0.lifecycle != .active }.count
        var text = "SHARDS \(replicas) replicas, \(gpus) GPUs"
        if out > 0 { text += "\(g.separator)\(out) node\(out == 1 ? "" : "s") not ACTIVE" }
        if marked > 0 { text += "\(g.separator)\(marked) marked" }
        text += "\(g.separator)those being changed first"
        screen.put(text, x: body.x, y: body.y, width: body.width, style: Style(.dim, .bold), glyphs: g)
    }

    private static func table(
        _ rows: [Row], _ state: ClusterState, operations: [OperationRecord], selected: ReplicaID?,
        marked: Set<ReplicaID>, glyphs g: Glyphs, area: Rect, into screen: inout Screen
    ) {
        guard area.height > 0 else { return }
        let columns = ShardColumns(wide: area.width >= 120)
        screen.put(columns.header, x: area.x, y: area.y, width: area.width, style: Style(.dim, .bold), glyphs: g)
        let visible = area.height - 1
        let selectedRow = selected.flatMap { id in rows.firstIndex { $0.replica.id == id } }
        let start = max(0, min((selectedRow ?? 0) - visible / 2, rows.count - visible))
        for (i, row) in rows.dropFirst(start).prefix(visible).enumerated() {
            let y = area.y + 1 + i
            columns.render(
                row, state: state, operations: operations, glyphs: g, marked: marked.contains(row.replica.id),
                selected: row.replica.id == selected, x: area.x, y: y, width: area.width, into: &screen)
        }
        if rows.count > visible, visible > 0 {
            let position = " \(start + 1)-\(min(rows.count, start + visible)) of \(rows.count)"
            screen.put(position, x: area.maxX - Text.width(position), y: area.y, style: .dim)
        }
    }
}
