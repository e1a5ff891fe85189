import InfertopCore

/// View 2: one row per GPU with a stacked bar of what fills its memory and the figures in GiB.
///
/// Columns drop from the right-hand detail inwards as the screen narrows; the bar keeps at
/// least a third of the width. `s` cycles the sort. Golden files:
/// `__Snapshots__/ViewGoldenTests/memory_*.txt`.
enum MemoryView {
    /// A figure column of the table: how a GPU's sample fills it, given the cluster (for REPLICA).
    typealias Column = TableColumn<GPUSample, ClusterState>

    /// Draws `rows` (the GPUs of `state` narrowed by `filter`, in `sort` order) from `scroll`, the
    /// `selected` GPU highlighted and the sort's column title marked.
    static func render(
        _ state: ClusterState, rows: [GPUID], sort: MemorySort, scroll: Int, selected: GPUID?, filter: Filter,
        glyphs g: Glyphs, depth: ColorDepth, into screen: inout Screen, body: Rect
    ) {
        let nameWidth = state.topology.nodes.map { Text.width($0.id.name) }.max() ?? 7
        let lead = nameWidth + 12
        let columns = fit(Self.columns, width: body.width - lead)
        let figures = columns.reduce(0) { $0 + $1.width + 1 }
        let barWidth = body.width - lead - figures - 2
        // Title row.
        var x = screen.put(
            Text.fit("NODE", nameWidth) + " GPU" + " MODEL  ", x: body.x, y: body.y, style: Style(.dim, .bold))
        x = screen.put(Text.fit("MEMORY", barWidth + 2), x: x, y: body.y, style: Style(.dim, .bold))
        for column in columns {
            let sorted = column.title == sort.title
            let title = sorted ? column.title + String(g.sortDown) : column.title
            x = screen.put(
                " " + Text.fit(title, column.width, alignRight: column.alignRight), x: x, y: body.y,
                style: Style(sorted ? .accent : .dim, .bold))
        }
        let listRows = ScreenLayout.listRows(in: body)
        let start = min(scroll, max(0, rows.count - listRows))
        for (i, gpu) in rows.dropFirst(start).prefix(listRows).enumerated() {
            let y = body.y + 1 + i
            row(
                gpu, state, selected: selected == gpu, columns: columns, nameWidth: nameWidth, barWidth: barWidth, y: y,
                glyphs: g, depth: depth, into: &screen)
        }
        if rows.isEmpty {
            screen.put(
                "no GPU matches the filter '\(filter.text)' · Esc clears it", x: body.x, y: body.y + 1,
                width: body.width, style: Style(.warn), glyphs: g)
        }
        let legendY = body.maxY - 1
        let position = rows.isEmpty ? "" : "\(start + 1)-\(min(rows.count, start + listRows)) of \(rows.count) GPUs"
        Legend.render(
            glyphs: g, depth: depth, into: &screen, x: body.x, y: legendY, width: body.width - Text.width(position) - 1)
        screen.put(position, x: body.maxX - Text.width(position), y: legendY, style: .dim)
    }

    private static func row(
        _ gpu: GPUID, _ state: ClusterState, selected: Bool, columns: [Column], nameWidth: Int, barWidth: Int, y: Int,
        glyphs g: Glyphs, depth: ColorDepth, into screen: inout Screen
    ) {
        guard let n = state.topology.nodeIndex(of: gpu.node), let spec = state.topology.gpu(gpu) else { return }
        let live = state.nodeStatus[n].reachability == .live
        let base: Style = selected ? Style(.selection) : live ? .text : Style(.stale)
        var x = screen.put(Text.fit(gpu.node.name, nameWidth), x: 0, y: y, style: base)
        x = screen.put(" " + Text.fit(String(gpu.index), 3, alignRight: true), x: x, y: y, style: base)
        x = screen.put(" " + Text.fit(spec.model.shortName, 6) + " ", x: x, y: y, style: selected ? base : .dim)
        guard let sample = state.gpuSamples[n][gpu.index] else {
            screen.put("no sample yet", x: x + 1, y: y, style: .dim)
            return
        }
        screen[x, y] = Cell(g.barLeft, .dim)
        MemoryBar.render(
            into: &screen, x: x + 1, y: y, width: barWidth, memory: sample.memory, glyphs: g,
            depth: depth, dimmed: !live)
        screen[x + barWidth + 1, y] = Cell(g.barRight, .dim)
        x += barWidth + 2
        for column in columns {
            let (text, role) = column.value(sample, state)
            x = screen.put(
                " " + Text.fit(text, column.width, ellipsis: g.ellipsis, alignRight: column.alignRight), x: x, y: y,
                style: live ? Style(role, role == .text ? [] : .bold) : Style(.stale))
        }
    }

    /// The columns that fit beside a bar of at least a third of the width, by priority.
    static func fit(_ all: [Column], width: Int) -> [Column] {
        var chosen = all
        while !chosen.isEmpty {
            let used = chosen.reduce(0) { $0 + $1.width + 1 }
            if width - used - 2 >= max(10, width / 3) { break }
            guard let drop = chosen.indices.max(by: { chosen[$0].priority < chosen[$1].priority }) else { break }
            chosen.remove(at: drop)
        }
        return chosen
    }

    static let columns: [Column] = [
        Column(title: "USED", width: 9, priority: 0) { s, _ in
            ("\(Format.gib(s.memory.usedBytes))/\(Format.gib(s.memory.capacityBytes))", .text)
        },
        Column(title: "WEIGHTS", width: 7, priority: 4) { s, _ in (Format.gib(s.memory.weightsBytes), .text) },
        Column(title: "KV USED", width: 7, priority: 3) { s, _ in (Format.gib(s.memory.kvUsedBytes), .text) },
        Column(title: "KV FREE", width: 7, priority: 3) { s, _ in (Format.gib(s.memory.kvFreeBytes), .text) },
        Column(title: "ACT", width: 5, priority: 6) { s, _ in (Format.gib(s.memory.activationBytes), .text) },
        Column(title: "OTHER", width: 6, priority: 2) { s, _ in
            (Format.gib(s.memory.otherBytes), s.memory.otherBytes >= 4 * gibibyte ? .warn : .text)
        },
        Column(title: "FREE", width: 6, priority: 5) { s, _ in (Format.gib(s.memory.unallocatedBytes), .text) },
        Column(title: "KV%", width: 4, priority: 0) { s, _ in
            let kv = s.memory.kvUsage
            return (Format.percent(kv), kv >= 0.95 ? .crit : kv >= 0.85 ? .warn : .text)
        },
        Column(title: "REPLICA", width: 14, priority: 1, alignRight: false) { s, state in
            guard let n = state.topology.nodeIndex(of: s.gpu.node) else { return ("", .text) }
            let list = state.placement.replicasOnGPU[n][s.gpu.index]
            return (list.first.map { state.replicas[$0].id.description } ?? "-", .dim)
        }
    ]
}
