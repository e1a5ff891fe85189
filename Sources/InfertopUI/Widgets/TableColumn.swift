/// A column of a table that drops columns as the screen narrows: its title, width, drop priority,
/// alignment, and how a row fills it, given what the whole table shares (the cluster, a clock).
struct TableColumn<Row, Context>: Sendable {
    let title: String
    let width: Int
    /// Columns with the highest priority number drop first.
    let priority: Int
    var alignRight = true
    let value: @Sendable (Row, Context) -> (String, StyleRole)
}
