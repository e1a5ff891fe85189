import InfertopCore

/// The memory legend row: one sample of each segment's glyph and colour, with its name.
enum Legend {
    static func render(glyphs g: Glyphs, depth: ColorDepth, into screen: inout Screen, x: Int, y: Int, width: Int) {
        let names: [(MemorySegment, String)] = [
            (.weights, "weights"), (.kvUsed, "KV used"), (.kvFree, "KV free"), (.activations, "activations"),
            (.other, "other"), (.unallocated, "unallocated")
        ]
        var col = x
        let limit = x + width
        for (segment, name) in names {
            guard col + Text.width(name) + 3 <= limit else { break }
            screen[col, y] = Cell(g.fill(segment, depth: depth), Style(Glyphs.role(segment)))
            col = screen.put(" " + name + "  ", x: col + 1, y: y, style: .dim)
        }
    }
}
