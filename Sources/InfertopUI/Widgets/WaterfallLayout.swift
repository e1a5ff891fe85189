import InfertopCore

/// Where a waterfall's columns sit at a width: a mark column, the span name (indented by depth),
/// then node, GPU group, replica and duration, then the bars on a time axis.
///
/// The bars keep at least a third of the width: the name shrinks first (to 16), then label
/// columns drop, GPU group first, then replica, then node; nothing ever runs past the width.
public struct WaterfallLayout: Sendable, Hashable {
    /// A label column.
    public enum Label: String, Sendable, Hashable, CaseIterable {
        case node, gpus, replica
        case duration = "dur"

        /// The column's title: its name in capitals.
        public var title: String { rawValue.uppercased() }

        public var width: Int {
            switch self {
            case .node: 9
            case .gpus: 8
            case .replica: 14
            case .duration: 6
            }
        }
    }

    public let nameWidth: Int
    public let labels: [Label]
    /// First column of the time axis, and its width in cells.
    public let barX: Int
    public let barWidth: Int

    /// Rows above the span rows (title, gap, column titles) and below them (legend).
    public static let headerRows = 3
    public static let footerRows = 1

    public static func visibleRows(_ body: Rect) -> Int { max(1, body.height - headerRows - footerRows) }

    /// - Parameters:
    ///   - width: the width of the waterfall.
    ///   - widestName: the widest name with its indent.
    public init(width: Int, widestName: Int) {
        let minBar = max(10, width / 3)
        var labels: [Label] = [.node, .gpus, .replica, .duration]
        var name = min(max(12, widestName), 30)
        // A mark and a space, the name, each label after a space, a space before the bars.
        func bar() -> Int { width - (2 + name + labels.reduce(0) { $0 + $1.width + 1 } + 1) }
        if bar() < minBar { name = max(min(name, 16), name - (minBar - bar())) }
        for drop in [Label.gpus, .replica, .node] where bar() < minBar { labels.removeAll { $0 == drop } }
        if bar() < minBar { name = max(8, name - (minBar - bar())) }
        nameWidth = name
        self.labels = labels
        barWidth = max(1, bar())
        barX = width - barWidth
    }

    /// The cell of the time axis a time falls in, 0 ..< barWidth.
    public func column(_ nanos: UInt64, start: UInt64, total: UInt64) -> Int {
        guard total > 0, nanos > start else { return 0 }
        let share = Double(nanos - start) / Double(total)
        return min(barWidth - 1, Int(share * Double(barWidth)))
    }

    /// The cells a stretch covers: at least one, from its start column to the column its end falls in.
    public func columns(_ range: Range<UInt64>, start: UInt64, total: UInt64) -> Range<Int> {
        let lo = column(range.lowerBound, start: start, total: total)
        guard total > 0 else { return lo..<(lo + 1) }
        let share = Double(range.upperBound > start ? range.upperBound - start : 0) / Double(total)
        let hi = min(barWidth, Int((share * Double(barWidth)).rounded(.up)))
        return lo..<max(lo + 1, hi)
    }

    /// Tick positions for the scale row: a round step (1, 2 or 5 times a power of ten) with at
    /// least `spacing` cells between labels.
    public func ticks(total: UInt64, spacing: Int = 10) -> [(column: Int, nanos: UInt64)] {
        guard total > 0, barWidth > 0 else { return [(0, 0)] }
        let minStep = Double(total) * Double(spacing) / Double(barWidth)
        var step: Double = 1
        search: while true {
            for m in [1.0, 2.0, 5.0] where m * step >= minStep {
                step *= m
                break search
            }
            step *= 10
        }
        var out: [(Int, UInt64)] = []
        var t = 0.0
        while t <= Double(total) {
            out.append((Int(t / Double(total) * Double(barWidth)), UInt64(t)))
            t += step
        }
        return out
    }
}
