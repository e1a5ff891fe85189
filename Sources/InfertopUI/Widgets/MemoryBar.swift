import InfertopCore

/// A stacked bar of what fills one GPU's memory: weights, KV used, KV free, activations,
/// other, unallocated, left to right, each part as wide as its share.
///
/// Boundaries are rounded from cumulative shares, so parts never overlap and the bar is
/// always exactly `width` cells; a non-empty part keeps at least one cell where it can.
public enum MemoryBar {
    public static func render(
        into screen: inout Screen, x: Int, y: Int, width: Int, memory: MemoryBreakdown, glyphs: Glyphs,
        depth: ColorDepth, dimmed: Bool = false
    ) {
        guard width > 0 else { return }
        let widths = segmentWidths(memory, width: width)
        var col = x
        for (segment, cells) in zip(MemorySegment.allCases, widths) where cells > 0 {
            let style = dimmed ? Style(.stale) : Style(Glyphs.role(segment))
            screen.repeatGlyph(glyphs.fill(segment, depth: depth), count: cells, x: col, y: y, style: style)
            col += cells
        }
    }

    /// Cell widths of each segment in `MemorySegment.allCases` order; they sum to `width`.
    public static func segmentWidths(_ memory: MemoryBreakdown, width: Int) -> [Int] {
        let capacity = Double(max(memory.capacityBytes, memory.usedBytes, 1))
        let parts = memory.segments.map { Double($0.1) }
        var bounds: [Int] = []
        var cumulative = 0.0
        for part in parts {
            cumulative += part
            bounds.append(Int((cumulative / capacity * Double(width)).rounded()))
        }
        bounds[bounds.count - 1] = width
        var widths: [Int] = []
        var previous = 0
        for bound in bounds {
            widths.append(max(0, bound - previous))
            previous = max(previous, bound)
        }
        // Give a visible but rounded-away KV-used part one cell, taken from the widest part.
        if parts[1] > 0, widths[1] == 0, width >= 6, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }),
            widths[widest] > 1
        {
            widths[widest] -= 1
            widths[1] = 1
        }
        return widths
    }
}
