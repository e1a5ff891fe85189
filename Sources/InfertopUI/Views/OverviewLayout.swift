import InfertopCore

/// How the overview packs nodes into the body: how many columns of nodes, and how much room
/// each GPU gets, from a bar with numbers down to a single cell.
///
/// The richest GPU cell that fits every node wins; fewer columns win a tie. When even one
/// cell per GPU cannot show every node, the layout says how many are left out, and the view
/// prints that count: nothing is cut silently.
public struct OverviewLayout: Sendable, Hashable {
    /// How each GPU is drawn.
    public enum Cell: Int, Sendable, Hashable, Comparable {
        /// Index, stacked memory bar, KV%.
        case bar = 0
        /// A short stacked bar and a two-digit KV%.
        case mini = 1
        /// One gauge glyph and a two-digit KV%.
        case gauge = 2
        /// One gauge glyph and a gap.
        case dot = 3
        /// One gauge glyph, no gap.
        case cell = 4

        public static func < (a: Cell, b: Cell) -> Bool { a.rawValue < b.rawValue }
    }

    public let columns: Int
    public let columnWidth: Int
    public let labelWidth: Int
    public let nameWidth: Int
    public let showsModel: Bool
    public let cell: Cell
    /// Width of one GPU cell including its gap.
    public let gpuWidth: Int
    public let rowsPerColumn: Int
    public let nodeCount: Int
    public let visibleCount: Int

    public static let gap = 2

    /// The layout of `nodeCount` nodes of `state` (the overview's rows) in `body`.
    public init(state: ClusterState?, nodeCount: Int, body: Rect) {
        let gpus = max(1, state?.topology.nodes.map(\.gpus.count).max() ?? 8)
        let names = state?.topology.nodes.map { Text.width($0.id.name) }.max() ?? 7
        self.init(width: body.width, rows: max(1, body.height - 2), nodes: nodeCount, gpus: gpus, nameWidth: names)
    }

    public init(width: Int, rows: Int, nodes: Int, gpus: Int, nameWidth: Int) {
        nodeCount = nodes
        self.nameWidth = nameWidth
        var best: (Int, Int, Bool, Cell, Int)?
        for columns in 1...8 {
            let columnWidth = (width - (columns - 1) * Self.gap) / columns
            for showsModel in [true, false] {
                let label = nameWidth + (showsModel ? 8 : 2)
                let perGPU = (columnWidth - label) / gpus
                guard let cell = Self.cell(for: perGPU) else { continue }
                let rowsNeeded = (nodes + columns - 1) / columns
                guard rowsNeeded <= rows else { continue }
                if best == nil || cell < best!.3 { best = (columns, columnWidth, showsModel, cell, perGPU) }
            }
        }
        if let (columns, columnWidth, showsModel, cell, perGPU) = best {
            self.columns = columns
            self.columnWidth = columnWidth
            self.showsModel = showsModel
            self.cell = cell
            gpuWidth = Self.width(of: cell, available: perGPU)
            labelWidth = nameWidth + (showsModel ? 8 : 2)
            rowsPerColumn = max(1, (nodes + columns - 1) / columns)
            visibleCount = nodes
        } else {
            // Not even one cell per GPU fits every node: as many columns of single cells as
            // the width allows, and the rest counted on screen.
            let label = nameWidth + 2
            let columnWidth = label + gpus + 1
            let columns = max(1, (width + Self.gap) / (columnWidth + Self.gap))
            self.columns = columns
            self.columnWidth = columnWidth
            showsModel = false
            cell = .cell
            gpuWidth = 1
            labelWidth = label
            rowsPerColumn = max(1, rows - 1)
            visibleCount = min(nodes, columns * rowsPerColumn)
        }
    }

    private static func cell(for perGPU: Int) -> Cell? {
        switch perGPU {
        case 13...: .bar
        case 7...12: .mini
        case 4...6: .gauge
        case 2...3: .dot
        case 1: .cell
        default: nil
        }
    }

    private static func width(of cell: Cell, available: Int) -> Int {
        switch cell {
        case .bar: min(available, 20)
        case .mini: min(available, 12)
        case .gauge: 4
        case .dot: 2
        case .cell: 1
        }
    }

    /// Where the node in list position `i` goes.
    public func origin(of i: Int, in body: Rect) -> (x: Int, y: Int) {
        let column = i / rowsPerColumn
        let row = i % rowsPerColumn
        return (body.x + column * (columnWidth + Self.gap), body.y + 1 + row)
    }
}
