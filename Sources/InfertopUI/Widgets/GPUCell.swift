import InfertopCore

/// One GPU in the overview, drawn as rich as its cell width allows.
enum GPUCell {
    static func render(
        _ sample: GPUSample?, spec: GPUSpec, index: Int, layout: OverviewLayout, rules: HealthRules, glyphs g: Glyphs,
        depth: ColorDepth, dimmed: Bool, x: Int, y: Int, into screen: inout Screen
    ) {
        guard let sample else {
            screen.put(Text.fit(String(g.dot), layout.gpuWidth), x: x, y: y, style: .dim)
            return
        }
        let kv = sample.memory.kvUsage
        let severity = rules.severity(of: sample, model: spec.model)
        let numberStyle =
            dimmed
            ? Style(.stale)
            : Style(severity == .crit ? .crit : severity == .warn ? .warn : .text, severity == .ok ? [] : .bold)
        switch layout.cell {
        case .bar:
            let digits = index >= 10 ? 2 : 1
            var col = screen.put(String(index), x: x, y: y, style: .dim)
            col = max(col, x + digits) + 1
            let barWidth = layout.gpuWidth - digits - 6
            MemoryBar.render(
                into: &screen, x: col, y: y, width: barWidth, memory: sample.memory, glyphs: g,
                depth: depth, dimmed: dimmed)
            screen.put(Text.fit(percent3(kv), 3, alignRight: true), x: col + barWidth + 1, y: y, style: numberStyle)
        case .mini:
            let barWidth = layout.gpuWidth - 4
            MemoryBar.render(
                into: &screen, x: x, y: y, width: barWidth, memory: sample.memory, glyphs: g,
                depth: depth, dimmed: dimmed)
            screen.put(Format.percent2(kv), x: x + barWidth + 1, y: y, style: numberStyle)
        case .gauge:
            screen[x, y] = Cell(g.level(kv), gaugeStyle(kv, severity, dimmed))
            screen.put(Format.percent2(kv), x: x + 1, y: y, style: numberStyle)
        case .dot, .cell:
            screen[x, y] = Cell(g.level(kv), gaugeStyle(kv, severity, dimmed))
        }
    }

    private static func percent3(_ share: Double) -> String { "\(Int((min(max(share, 0), 1) * 100).rounded()))" }

    private static func gaugeStyle(_ kv: Double, _ severity: Severity, _ dimmed: Bool) -> Style {
        if dimmed { return Style(.stale) }
        switch severity {
        case .crit: return Style(.crit, .bold)
        case .warn: return Style(.warn)
        case .ok: return Style(StyleRole.heat(kv))
        }
    }
}
