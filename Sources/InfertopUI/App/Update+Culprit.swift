import InfertopCore

// MARK: - From the culprit line, one key each: the culprit itself, and a request it hurt

/// Shows the culprit where it is best seen: a GPU selected in view 2, a link or port's node in
/// view 3, a lost or stale node's detail, a slow replica's requests in view 4.
func goToCulprit(_ model: inout Model) {
    guard let culprit = model.culprits.first, let state = model.shown else {
        model.status = StatusMessage("no culprit: every replica is within its peers' latency")
        return
    }
    switch culprit.subject {
    case .gpu(let gpu):
        show(&model, .memory)
        revealGPU(&model, gpu)
    case .link(let gpu, let peer):
        show(&model, .interconnect)
        model.selectedNode = gpu.node
        model.status = StatusMessage(
            "culprit link: \(gpu.node) gpu\(gpu.index) to gpu\(peer), row \(gpu.index) of the heatmap")
        return
    case .port(let node, let port):
        show(&model, .interconnect)
        model.selectedNode = node
        model.status = StatusMessage("culprit port: \(node) \(port), in the port list")
        return
    case .node(let node):
        show(&model, .overview)
        model.selectedNode = node
        if state.topology.node(node) != nil { model.node = node }
    case .replica(let replica):
        show(&model, .requests)
        model.filter = Filter(replica.description)
    }
    model.status = StatusMessage("culprit: \(culprit.reason)")
}

/// Opens the waterfall of the request the culprit hurt most since it began.
func openCulpritRequest(_ model: inout Model) {
    guard let culprit = model.culprits.first, let state = model.shown else {
        model.status = StatusMessage("no culprit, so no request to open: 4 lists the slowest", isError: true)
        return
    }
    let onset = model.headline.onsets[culprit.subject]
    let since = onset.flatMap { $0.predatesFirstState ? nil : $0.spanNanos }
    guard let hurt = state.requestHurtMost(by: culprit, sinceNanos: since) else {
        model.status = StatusMessage(
            "no traced request touches \(culprit.subject.node?.name ?? "the culprit") yet", isError: true)
        return
    }
    show(&model, .requests)
    model.filter = Filter()
    model.requests.selected = hurt.trace
    model.requests.open = hurt.trace
    model.requests.waterfallScroll = 0
    refreshPinnedTrace(&model)
    model.status = StatusMessage("request hurt most by the culprit: \(hurt.trace.hex.prefix(12)) · \(hurt.measure)")
}

/// Selects a GPU in view 2, clearing a filter that hides it, and scrolls to it.
private func revealGPU(_ model: inout Model, _ gpu: GPUID) {
    var rows = Rows.gpus(model)
    if !rows.contains(gpu) {
        model.filter = Filter()
        rows = Rows.gpus(model)
    }
    model.selectedGPU = gpu
    guard let index = rows.firstIndex(of: gpu) else { return }
    let visible = ScreenLayout(model.size).listRows
    if index < model.scroll || index >= model.scroll + visible { model.scroll = max(0, index - visible / 2) }
}
