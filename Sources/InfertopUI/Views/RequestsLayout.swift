import InfertopCore

/// Where view 4's parts sit for a screen size: the percentile table (a row per model, then rows
/// per replica while they fit, worst first and shared round-robin between models), the storage
/// line, the request list and the legend row.
///
/// Shared by the view and by `update`, so that moving the selection scrolls by what is shown.
struct RequestsLayout {
    /// A row of the percentile table.
    enum TableRow: Hashable {
        case model(String)
        case replica(ReplicaID)
    }

    static let tableHeaderRows = 2
    /// Rows besides the table's own: its two header rows, the storage line, the list title, the legend.
    static let fixedRows = tableHeaderRows + 3

    let body: Rect
    let tableRows: [TableRow]
    let listRows: Int

    init(body: Rect, stats: LatencyStats) {
        self.body = body
        let minList = max(3, body.height / 3)
        let room = max(1, body.height - Self.fixedRows - minList)
        let models = Array(stats.models.prefix(room))
        var budget = room - max(1, models.count)
        var picks: [String: Int] = [:]
        let worstFirst: [String: [ReplicaID]] = Dictionary(
            uniqueKeysWithValues: models.map { m in
                (m, Self.worstFirst(stats.replicasByModel[m] ?? [], stats))
            })
        var progress = true
        while budget > 0 && progress {
            progress = false
            for m in models where budget > 0 && picks[m, default: 0] < worstFirst[m, default: []].count {
                picks[m, default: 0] += 1
                budget -= 1
                progress = true
            }
        }
        var rows: [TableRow] = []
        for m in models {
            rows.append(.model(m))
            rows += worstFirst[m, default: []].prefix(picks[m, default: 0]).map { .replica($0) }
        }
        tableRows = rows
        listRows = max(1, body.height - Self.fixedRows - max(1, rows.count))
    }

    /// Replicas by p99 time to first token, slowest first, then by id.
    static func worstFirst(_ ids: [ReplicaID], _ stats: LatencyStats) -> [ReplicaID] {
        ids.sorted { a, b in
            let x = stats.byReplica[a]?.ttft?.p99 ?? 0
            let y = stats.byReplica[b]?.ttft?.p99 ?? 0
            return x != y ? x > y : a < b
        }
    }

    var tableY: Int { body.y }
    var storageY: Int { body.y + Self.tableHeaderRows + max(1, tableRows.count) }
    var listTitleY: Int { storageY + 1 }
    var listY: Int { listTitleY + 1 }
    var legendY: Int { body.maxY - 1 }
}
