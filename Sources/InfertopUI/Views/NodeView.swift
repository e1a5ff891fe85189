import InfertopCore

/// The node opened with Enter: each GPU's memory, load, heat and clocks, the replicas placed
/// on the node with their latency beside the physical floor, and its links and ports.
/// Golden files: `__Snapshots__/ViewGoldenTests/node_*.txt`.
struct NodeView {
    let state: ClusterState
    /// The node opened.
    let nodeID: NodeID
    let rules: HealthRules
    let glyphs: Glyphs
    let depth: ColorDepth

    func render(into screen: inout Screen, body: Rect) {
        let g = glyphs
        guard let n = state.topology.nodeIndex(of: nodeID) else { return }
        let node = state.topology.nodes[n]
        let status = state.nodeStatus[n]
        var y = body.y
        let age = Format.age(state.time - status.lastSampleTime)
        let gpuSummary = node.gpuModel.map { "\(node.gpus.count)x \($0.name)" } ?? "\(node.gpus.count) GPUs"
        let head = [
            node.id.name, gpuSummary, status.lifecycle.rawValue,
            "\(status.reachability.rawValue) (last sample \(age) ago)"
        ]
        screen.put(
            head.joined(separator: g.separator), x: body.x, y: y, width: body.width,
            style: Style(status.reachability == .live ? .title : .crit, .bold), glyphs: g)
        y += 1
        if let source = state.source(of: nodeID) {
            var line = "agent \(source.address)"
            if let version = source.version { line += " v\(version)" }
            line += g.separator + SourceText.describe(source.state)
            if let last = source.lastMessageTime {
                line += g.separator + "last message \(Format.age(state.time - last)) ago"
            }
            screen.put(
                line, x: body.x, y: y, width: body.width, style: Style(source.state.isLive ? .dim : .crit),
                glyphs: g)
            y += 1
        }
        let wide = body.width >= 120
        let barWidth = max(10, body.width - (wide ? 102 : 52))
        var title = " GPU " + Text.fit("MEMORY", barWidth + 2) + "      USED  KV%  UTIL  TEMP"
        if wide { title += "  KV 2 MIN      POWER  SM CLOCK  THROTTLE      REPLICA" }
        screen.put(title, x: body.x, y: y, width: body.width, style: Style(.dim, .bold), glyphs: g)
        y += 1
        for (gi, spec) in node.gpus.enumerated() where y < body.maxY - 1 {
            gpuRow(
                state.gpuSamples[n][gi], spec, n: n, g: gi, barWidth: barWidth, wide: wide, y: y,
                live: status.reachability == .live, into: &screen)
            y += 1
        }
        y += 1
        for problem in state.problems[nodeID] ?? [] where y < body.maxY - 2 {
            screen.put("! " + problem, x: body.x, y: y, width: body.width, style: Style(.warn), glyphs: g)
            y += 1
        }
        y = replicas(n, y: y, body: body, into: &screen)
        y = fabric(n, y: y + 1, body: body, into: &screen)
        Legend.render(glyphs: g, depth: depth, into: &screen, x: body.x, y: body.maxY - 1, width: body.width)
    }

    /// One GPU: its memory bar and figures, and on a wide screen its history, power, clock and replica.
    private func gpuRow(
        _ sample: GPUSample?, _ spec: GPUSpec, n: Int, g gi: Int, barWidth: Int, wide: Bool, y: Int, live: Bool,
        into screen: inout Screen
    ) {
        let g = glyphs
        var x = screen.put(Text.fit(String(gi), 4, alignRight: true) + " ", x: 0, y: y, style: .dim)
        guard let s = sample else {
            screen.put("no sample yet", x: x, y: y, style: .dim)
            return
        }
        screen[x, y] = Cell(g.barLeft, .dim)
        MemoryBar.render(
            into: &screen, x: x + 1, y: y, width: barWidth, memory: s.memory, glyphs: g, depth: depth,
            dimmed: !live)
        screen[x + barWidth + 1, y] = Cell(g.barRight, .dim)
        x += barWidth + 2
        let kvRole: StyleRole = s.memory.kvUsage >= 0.95 ? .crit : s.memory.kvUsage >= 0.85 ? .warn : .text
        let hot = s.temperatureCelsius >= rules.temperatureWarningCelsius
        let parts: [(String, StyleRole)] = [
            (
                Text.fit(
                    "\(Format.gib(s.memory.usedBytes))/\(Format.gib(s.memory.capacityBytes))", 10, alignRight: true),
                .text
            ),
            (Text.fit(Format.percent(s.memory.kvUsage), 5, alignRight: true), kvRole),
            (Text.fit(Format.percent(s.utilization), 5, alignRight: true), .text),
            (Text.fit("\(Int(s.temperatureCelsius.rounded()))\(g.degree)", 6, alignRight: true), hot ? .crit : .text)
        ]
        x = Self.put(parts, x: x, y: y, live: live, into: &screen)
        guard wide else { return }
        Sparkline.render(
            state.kvHistory[n][gi].values, into: &screen, x: x + 2, y: y, width: 12, glyphs: g,
            style: live ? Style(kvRole == .text ? .accent : kvRole) : Style(.stale))
        Self.put(wideParts(s, spec, n: n, g: gi), x: x + 14, y: y, live: live, into: &screen)
    }

    /// Power, SM clock, throttle reasons and the replica shard on the GPU, for a wide screen.
    private func wideParts(_ s: GPUSample, _ spec: GPUSpec, n: Int, g gi: Int) -> [(String, StyleRole)] {
        let sev = rules.severity(of: s, model: spec.model)
        let throttle = s.throttle.words.joined(separator: ",")
        let list = state.placement.replicasOnGPU[n][gi]
        let replica = list.first.map { state.replicas[$0] }
        let shard = replica?.shards.first { $0.gpu == spec.id }
        let where_ =
            replica.map { r in
                "\(r.id) tp\(shard?.tpRank ?? 0)" + (r.pipelineParallel > 1 ? " pp\(shard?.ppStage ?? 0)" : "")
            } ?? "-"
        return [
            (Text.fit("\(Int(s.powerWatts.rounded()))W", 7, alignRight: true), .text),
            (Text.fit("\(s.smClockMHz) MHz", 10, alignRight: true), sev == .crit && !throttle.isEmpty ? .crit : .text),
            ("  " + Text.fit(throttle.isEmpty ? "-" : throttle, 12), throttle.isEmpty ? .dim : .crit),
            (" " + where_, .dim)
        ]
    }

    /// Puts the figures left to right from `x`, warnings bold, all grey when the node is not live.
    @discardableResult
    private static func put(_ parts: [(String, StyleRole)], x: Int, y: Int, live: Bool, into screen: inout Screen)
        -> Int
    {
        var x = x
        for (text, role) in parts {
            x = screen.put(
                text, x: x, y: y, style: live ? Style(role, role == .text || role == .dim ? [] : .bold) : Style(.stale))
        }
        return x
    }

    /// The replicas placed on the node from row `start`, with their load and latency; returns the next row.
    private func replicas(_ n: Int, y start: Int, body: Rect, into screen: inout Screen) -> Int {
        let g = glyphs
        var y = start
        var seen: [Int] = []
        for list in state.placement.replicasOnGPU[n] { for r in list where !seen.contains(r) { seen.append(r) } }
        guard y < body.maxY - 1 else { return y }
        screen.put(
            "REPLICAS ON THIS NODE (latency beside the decode floor)", x: body.x, y: y, width: body.width,
            style: Style(.dim, .bold), glyphs: g)
        y += 1
        for r in seen where y < body.maxY - 2 {
            let spec = state.replicas[r]
            let head = "\(spec.id) \(spec.layout) on \(spec.nodes.map(\.name).joined(separator: ","))"
            guard let s = state.replicaSamples[spec.id], s.status == .serving else {
                screen.put(
                    head + g.separator + "DOWN", x: body.x + 2, y: y, width: body.width - 2, style: Style(.crit, .bold),
                    glyphs: g)
                y += 1
                continue
            }
            var load =
                head + g.separator + "\(Format.count(s.tokensPerSecond)) tok/s" + g.separator
                + "running \(s.runningRequests) waiting \(s.waitingRequests)"
            if s.preemptionsPerSecond > 0 {
                load += g.separator + "\(Format.fixed(s.preemptionsPerSecond, 1)) preemptions/s"
            }
            let pressured = s.waitingRequests > 0 || s.preemptionsPerSecond > 0
            screen.put(
                load, x: body.x + 2, y: y, width: body.width - 2, style: Style(pressured ? .warn : .text), glyphs: g)
            let ratio = s.floorSeconds > 0 ? s.stepSeconds / s.floorSeconds : 0
            let latency =
                "TTFT p50 \(Format.duration(s.ttftP50Seconds)) p99 \(Format.duration(s.ttftP99Seconds))" + g.separator
                + "ITL p50 \(Format.duration(s.itlP50Seconds)) p99 \(Format.duration(s.itlP99Seconds))" + g.separator
                + "decode step \(Format.duration(s.stepSeconds)) = \(Format.ratio(ratio)) the floor of \(Format.duration(s.floorSeconds))"
            screen.put(latency, x: body.x + 4, y: y + 1, width: body.width - 4, style: .dim, glyphs: g)
            y += 2
        }
        return y
    }

    /// The node's fabric links and network ports from row `start`, a line each; returns the next row.
    private func fabric(_ n: Int, y start: Int, body: Rect, into screen: inout Screen) -> Int {
        let g = glyphs
        var y = start
        let node = state.topology.nodes[n]
        guard y < body.maxY - 1 else { return y }
        let fabric = node.gpus.first?.model.vendor.fabricName ?? "fabric"
        var upByGPU: [Int: (Int, Int, Double)] = [:]
        for link in state.fabricLinks[n] {
            let old = upByGPU[link.gpu] ?? (link.linksUp, link.linksTotal, 0)
            upByGPU[link.gpu] = (min(old.0, link.linksUp), link.linksTotal, old.2 + link.errorsPerSecond)
        }
        var text = "\(fabric) links up:"
        var role = StyleRole.text
        for gi in node.gpus.indices {
            guard let (up, total, errors) = upByGPU[gi] else { continue }
            text += " \(gi):\(up)/\(total)"
            if up < total || errors >= 1 {
                role = .crit
                if errors >= 1 { text += "(\(Format.fixed(errors, 0)) err/s)" }
            }
        }
        screen.put(text, x: body.x, y: y, width: body.width, style: Style(role), glyphs: g)
        y += 1
        guard y < body.maxY - 1 else { return y }
        let ports = state.ports[n]
        let up = ports.filter { $0.state == .active }.count
        let tx = ports.reduce(0) { $0 + $1.txBytesPerSecond }
        let rx = ports.reduce(0) { $0 + $1.rxBytesPerSecond }
        let layer = node.ports.first?.linkLayer.rawValue ?? "network"
        let line =
            "\(layer) ports \(up)/\(ports.count) active\(g.separator)tx \(Format.fixed(tx / 1e9, 1)) GB/s rx \(Format.fixed(rx / 1e9, 1)) GB/s"
        screen.put(line, x: body.x, y: y, width: body.width, style: Style(up < ports.count ? .crit : .text), glyphs: g)
        return y + 1
    }
}
