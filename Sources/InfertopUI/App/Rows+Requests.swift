import InfertopCore

extension Rows {
    /// Request rows of view 4: failed (newest first), then the slowest, narrowed by the filter.
    ///
    /// The filter matches a trace-id prefix, a model, a replica or a node. A trace-id prefix also
    /// finds requests held in the store that are neither failed nor among the slowest, so a
    /// trace id copied from a log opens its waterfall.
    public static func requests(_ model: Model) -> [RequestTrace] {
        guard let store = model.shown?.requests else { return [] }
        let filter = model.filter
        guard !filter.isEmpty else { return store.slowestAndFailed() }
        var rows = store.slowestAndFailed(where: filter.requestMatcher())
        if !filter.isNegated, filter.text.count >= 4, TracePrefix(filter.text) != nil {
            let listed = Set(rows.map(\.id))
            rows += store.traces(withPrefix: filter.text, limit: 64).filter { !listed.contains($0.id) }
        }
        return rows
    }
}
