import InfertopCore

/// The two header rows: cluster totals on the first, the culprit line on the second.
///
/// Pieces of the first row are dropped lowest-priority first until it fits, so 80 columns
/// keep the numbers that matter (tokens/s, p99 TTFT, live nodes) and wide screens get all.
/// Golden files: `__Snapshots__/ViewGoldenTests/*`.
enum HeaderView {
    /// Draws the header of `state` (nil until the first snapshot) from `source` (`demo seed 7`),
    /// with the top of `culprits` (worst first) on the second row.
    static func render(
        _ state: ClusterState?, source: String, culprits: [Culprit], isPaused: Bool, glyphs: Glyphs,
        into screen: inout Screen
    ) {
        let width = screen.width
        screen.fill(Rect(x: 0, y: 0, width: width, height: 2))
        guard let state else {
            screen.put("infertop", x: 0, y: 0, style: Style(.title, .bold))
            screen.put(
                "waiting for the first snapshot from \(source)", x: 10, y: 0, width: width - 10, style: .dim,
                glyphs: glyphs)
            return
        }
        if state.topology.nodes.isEmpty, !state.sources.isEmpty {
            let live = state.sources.values.filter(\.state.isLive).count
            let what = state.sources.values.contains { $0.kind == .fleet } ? "sources" : "agents"
            let text =
                "infertop \(source) \(glyphs.dot) connecting: \(live)/\(state.sources.count) \(what) answered"
            screen.put(text, x: 0, y: 0, width: screen.width, style: Style(.title, .bold), glyphs: glyphs)
            return
        }
        totals(state, source: source, isPaused: isPaused, glyphs: glyphs, into: &screen)
        culprit(state, culprits: culprits, glyphs: glyphs, into: &screen)
    }

    private static func totals(
        _ state: ClusterState, source: String, isPaused: Bool, glyphs g: Glyphs, into screen: inout Screen
    ) {
        let s = ClusterSummary(state)
        let sep = g.separator
        let right = (isPaused ? "\(g.pause) PAUSED " : "") + Format.clock(state.reportedTime ?? state.time)
        let ttftFull = "TTFT p99 \(Format.duration(s.ttftP99Median)) (worst \(Format.duration(s.ttftP99Worst)))"
        let ttftShort = "TTFT p99 \(Format.duration(s.ttftP99Median))"
        var pieces = [
            "\(s.nodesLive)/\(s.nodes) nodes", "\(s.gpus) GPUs", "\(Format.count(s.tokensPerSecond)) tok/s", ttftFull,
            "ITL p99 \(Format.duration(s.itlP99Median))", "KV \(Format.percent(s.kvUsage))",
            "\(s.replicasServing)/\(s.replicas) replicas",
            "HBM \(tib(s.memoryUsedBytes))/\(tib(s.memoryCapacityBytes)) TiB"
        ]
        let title = "infertop"
        var source = source.isEmpty ? "" : " " + source
        let budget = screen.width - Text.width(right) - 1
        func line() -> String { title + source + sep + pieces.joined(separator: sep) }
        // Narrow screens lose the least urgent figures first; nodes, tokens/s and p99 TTFT stay.
        let degrade: [() -> Void] = [
            { pieces.removeAll { $0.hasPrefix("HBM") } }, { pieces.removeAll { $0.hasSuffix("replicas") } },
            { pieces.removeAll { $0.hasSuffix("GPUs") } }, { pieces.removeAll { $0.hasPrefix("KV ") } },
            { pieces = pieces.map { $0 == ttftFull ? ttftShort : $0 } }, { source = "" },
            { pieces.removeAll { $0.hasPrefix("ITL") } }
        ]
        for step in degrade where Text.width(line()) > budget { step() }
        var x = screen.put(title, x: 0, y: 0, style: Style(.title, .bold))
        x = screen.put(source, x: x, y: 0, style: .dim, maxX: budget)
        for piece in pieces {
            x = screen.put(sep, x: x, y: 0, style: .dim, maxX: budget)
            x = screen.put(piece, x: x, y: 0, style: .text, maxX: budget)
        }
        screen.put(right, x: screen.width - Text.width(right), y: 0, style: isPaused ? Style(.warn, .bold) : .dim)
    }

    private static func culprit(_ state: ClusterState, culprits: [Culprit], glyphs g: Glyphs, into screen: inout Screen)
    {
        guard let top = culprits.first else {
            // Replicas taken out on purpose (draining or drained nodes) are neither serving nor missing.
            let out = state.replicasOutOfRotation
            let serving = state.replicaSamples.filter { $0.value.status == .serving && !out.contains($0.key) }.count
            let away = out.isEmpty ? "" : ", \(out.count) out by operator"
            let text =
                "\(String(g.ok)) no culprit: \(serving)/\(state.replicas.count - out.count) replicas serving within their peers' latency\(away)"
            screen.put(text, x: 0, y: 1, width: screen.width, style: Style(.ok), glyphs: g)
            return
        }
        let role: StyleRole = top.severity == .crit ? .crit : .warn
        let more = culprits.count > 1 ? " +\(culprits.count - 1) more" : ""
        var x = screen.put(String(g.warn) + " ", x: 0, y: 1, style: Style(role, .bold))
        x = screen.put("CULPRIT ", x: x, y: 1, style: Style(role, .bold))
        let room = screen.width - x - Text.width(more)
        screen.put(top.reason, x: x, y: 1, width: room, style: Style(role), glyphs: g)
        screen.put(more, x: screen.width - Text.width(more), y: 1, style: .dim)
    }

    private static func tib(_ bytes: UInt64) -> String { Format.fixed(Double(bytes) / Double(1 << 40), 1) }
}
