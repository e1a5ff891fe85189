/// A one-row chart of recent values (0...1) in gauge glyphs, newest on the right.
///
/// Values are grouped into as many buckets as there are cells and each bucket shows its
/// maximum, so a short spike is never averaged away.
public enum Sparkline {
    public static func render(
        _ values: [Float], into screen: inout Screen, x: Int, y: Int, width: Int, glyphs: Glyphs, style: Style
    ) {
        guard width > 0 else { return }
        let buckets = bucketMaxima(values, count: width)
        for (i, value) in buckets.enumerated() {
            screen[x + i, y] = value.map { Cell(glyphs.level(Double($0)), style) } ?? Cell(" ", style)
        }
    }

    /// Right-aligned bucket maxima; nil where no value falls.
    public static func bucketMaxima(_ values: [Float], count: Int) -> [Float?] {
        guard count > 0 else { return [] }
        guard !values.isEmpty else { return Array(repeating: nil, count: count) }
        let perBucket = max(1, (values.count + count - 1) / count)
        var out: [Float?] = []
        var end = values.count
        while out.count < count {
            let start = max(0, end - perBucket)
            out.append(start < end ? values[start..<end].max() : nil)
            end = start
        }
        return out.reversed()
    }
}
