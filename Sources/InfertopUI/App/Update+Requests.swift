import InfertopCore

// MARK: - View 4: the request list and its waterfall

/// Opens the waterfall of the selected request (the first row when none is selected).
func openWaterfall(_ model: inout Model) {
    let rows = Rows.requests(model)
    guard let id = model.requests.selected.flatMap({ id in rows.first { $0.id == id }?.id }) ?? rows.first?.id else {
        model.status = StatusMessage("no request to open: none match", isError: true)
        return
    }
    model.requests.selected = id
    model.requests.open = id
    model.requests.waterfallScroll = 0
    refreshPinnedTrace(&model)
}

/// Closes an open waterfall; false when none was open.
func closeWaterfall(_ model: inout Model) -> Bool {
    guard model.view == .requests, model.requests.open != nil else { return false }
    model.requests.open = nil
    return true
}

/// Moves the request selection, or scrolls the open waterfall.
func moveInRequests(_ model: inout Model, by delta: Int) {
    guard let state = model.shown else { return }
    if let open = model.requests.open {
        let count = state.waterfall(open, kept: model.pinnedTrace, rules: model.rules)?.rows.count ?? 0
        let visible = WaterfallLayout.visibleRows(ScreenLayout(model.size).body)
        let top = max(0, count - visible)
        model.requests.waterfallScroll = min(max(0, model.requests.waterfallScroll + delta), top)
        return
    }
    let rows = Rows.requests(model)
    guard !rows.isEmpty else { return }
    // With nothing selected the first row is the selection (the list highlights it).
    let current = model.requests.selected.flatMap { id in rows.firstIndex { $0.id == id } } ?? 0
    let index = min(max(current + delta, 0), rows.count - 1)
    model.requests.selected = rows[index].id
    let visible = RequestsLayout(body: ScreenLayout(model.size).body, stats: state.requests.latency).listRows
    if index < model.requests.listScroll { model.requests.listScroll = index }
    if index >= model.requests.listScroll + visible { model.requests.listScroll = index - visible + 1 }
}
