/// A horizontal run of cells that changed between two frames.
public struct CellRun: Sendable, Hashable {
    public let x: Int
    public let y: Int
    public let cells: [Cell]
}

extension Screen {
    /// The runs of cells that differ from `previous`; everything when the sizes differ.
    ///
    /// An unchanged frame yields no runs, so the terminal layer makes no call at all. Runs
    /// break at unchanged cells: rewriting a short unchanged gap would cost fewer cursor moves
    /// but more bytes, and bytes are what an SSH link pays for.
    public func diff(from previous: Screen?) -> [CellRun] {
        guard let previous, previous.width == width, previous.height == height else {
            return (0..<height).map { row in
                CellRun(x: 0, y: row, cells: Array(cells[(row * width)..<((row + 1) * width)]))
            }
        }
        var runs: [CellRun] = []
        cells.withUnsafeBufferPointer { now in
            previous.cells.withUnsafeBufferPointer { before in
                var i = 0
                let count = now.count
                while i < count {
                    if now[i] == before[i] {
                        i += 1
                        continue
                    }
                    let row = i / width
                    let rowEnd = (row + 1) * width
                    var j = i + 1
                    while j < rowEnd && now[j] != before[j] { j += 1 }
                    runs.append(CellRun(x: i - row * width, y: row, cells: Array(now[i..<j])))
                    i = j
                }
            }
        }
        return runs
    }
}
