import InfertopCore

/// Key handling: an open dialog first, then text entry for `/` and `:`, otherwise the keymap.
func press(_ model: inout Model, _ key: Key) -> [Effect] {
    if model.dialog != nil { return pressInDialog(&model, key) }
    switch model.input {
    case .filter(let text):
        return editFilter(&model, text, key)
    case .command(let text):
        return editCommand(&model, text, key)
    case .normal:
        break
    }
    if model.showHelp {
        // Any key closes help; q still quits from it.
        model.showHelp = false
        if model.keymap.action(for: key, in: .global) == .quit { return [.quit] }
        return []
    }
    if ScreenLayout(model.size).isTooSmall {
        return model.keymap.action(for: key, in: .global) == .quit ? [.quit] : []
    }
    if model.isReplay, let action = model.keymap.replayAction(for: key) {
        model.status = nil
        return perform(&model, action)
    }
    guard let action = model.keymap.action(for: key, in: model.context) else {
        model.status = StatusMessage(
            "no action on \(key): \(model.keymap.keyLabel(for: .help)) shows the keys", isError: true)
        return []
    }
    model.status = nil
    return perform(&model, action)
}

/// Carries out an action named by a key or a command.
func perform(_ model: inout Model, _ action: Action) -> [Effect] {
    switch action {
    case .quit: return [.quit]
    case .help: model.showHelp = true
    case .overview: show(&model, .overview)
    case .memory: show(&model, .memory)
    case .interconnect: show(&model, .interconnect)
    case .requests: show(&model, .requests)
    case .shards: show(&model, .shards)
    case .events: show(&model, .events)
    case .mark: toggleMark(&model)
    case .play, .rewind, .forward, .slower, .faster: return replayAction(&model, action)
    case .cordon, .uncordon, .drain, .rebalance, .cancel: return controlAction(&model, action)
    case .filter: model.input = .filter(model.filter.text)
    case .command: model.input = .command("")
    case .pause:
        if model.isPaused {
            model.frozen = nil
            model.status = StatusMessage("resumed")
        } else {
            model.frozen = model.live
            model.status = StatusMessage(
                "paused: the screen holds still, data keeps arriving; \(model.keymap.keyLabel(for: .pause)) resumes")
        }
        recomputeCulprits(&model)
    case .sort:
        model.memorySort = model.memorySort.next
        model.status = StatusMessage("sorted by \(model.memorySort.title)")
    case .back:
        if model.node != nil {
            model.node = nil
        } else if closeWaterfall(&model) {
            // Back from the waterfall to the request list, the filter kept.
        } else if model.view == .shards, model.preview != nil {
            model.preview = nil
            model.status = StatusMessage("plan preview closed")
        } else if !model.filter.isEmpty {
            model.filter = Filter()
            model.status = StatusMessage("filter cleared")
        } else if !model.markedNodes.isEmpty || !model.markedReplicas.isEmpty {
            model.markedNodes = []
            model.markedReplicas = []
            model.status = StatusMessage("marks cleared")
        }
        clampScroll(&model)
    case .drill: drill(&model)
    case .culprit: goToCulprit(&model)
    case .culpritRequest: openCulpritRequest(&model)
    case .up: move(&model, by: -1)
    case .down: move(&model, by: 1)
    case .left: move(&model, by: -pageStep(model, horizontal: true))
    case .right: move(&model, by: pageStep(model, horizontal: true))
    case .pageUp: move(&model, by: -pageStep(model, horizontal: false))
    case .pageDown: move(&model, by: pageStep(model, horizontal: false))
    case .top: move(&model, by: -Int.max / 2)
    case .bottom: move(&model, by: Int.max / 2)
    }
    return []
}

func show(_ model: inout Model, _ view: ViewKind) {
    model.view = view
    model.node = nil
    model.scroll = 0
    model.requests.open = nil
}

private func drill(_ model: inout Model) {
    guard model.node == nil else { return }
    switch model.view {
    case .overview, .interconnect:
        let rows = Rows.nodes(model)
        guard let state = model.shown, !rows.isEmpty else { return }
        let id = model.selectedNode ?? state.topology.nodes[rows[0]].id
        model.selectedNode = id
        model.node = id
    case .memory:
        let rows = Rows.gpus(model)
        guard let gpu = model.selectedGPU ?? rows.first else { return }
        model.selectedGPU = gpu
        model.node = gpu.node
    case .requests:
        openWaterfall(&model)
    case .shards:
        guard let replica = model.selectedReplica ?? Rows.replicas(model).first?.id,
            let node = model.shown?.replicas.first(where: { $0.id == replica })?.nodes.first
        else { return }
        model.selectedReplica = replica
        model.node = node
    case .events:
        break
    }
}

private func pageStep(_ model: Model, horizontal: Bool) -> Int {
    if model.view == .overview && model.node == nil && horizontal {
        let layout = OverviewLayout(
            state: model.shown, nodeCount: Rows.nodes(model).count, body: ScreenLayout(model.size).body)
        return max(1, layout.rowsPerColumn)
    }
    return max(1, ScreenLayout(model.size).listRows - 1)
}

/// Moves the selection through the current list, keeping it on screen.
func move(_ model: inout Model, by delta: Int) {
    guard model.node == nil, let state = model.shown else { return }
    switch model.view {
    case .overview, .interconnect:
        let rows = Rows.nodes(model)
        guard !rows.isEmpty else { return }
        let current = model.selectedNode.flatMap { id in rows.firstIndex { state.topology.nodes[$0].id == id } }
        let index = clamp((current ?? -1) + (current == nil && delta > 0 ? 0 : delta), rows.count)
        model.selectedNode = state.topology.nodes[rows[index]].id
    case .memory:
        let rows = Rows.gpus(model)
        guard !rows.isEmpty else { return }
        let current = model.selectedGPU.flatMap { rows.firstIndex(of: $0) }
        let index = clamp((current ?? -1) + (current == nil && delta > 0 ? 0 : delta), rows.count)
        model.selectedGPU = rows[index]
        let visible = ScreenLayout(model.size).listRows
        if index < model.scroll { model.scroll = index }
        if index >= model.scroll + visible { model.scroll = index - visible + 1 }
    case .requests:
        moveInRequests(&model, by: delta)
    case .shards:
        moveReplica(&model, by: delta)
    case .events:
        let count = Rows.events(model).count
        model.scroll = max(0, min(model.scroll + delta, count - EventsView.listRows(ScreenLayout(model.size).body)))
    }
}

private func clamp(_ index: Int, _ count: Int) -> Int { min(max(index, 0), count - 1) }

/// Keeps the scroll offset inside the list after a resize or a filter change.
func clampScroll(_ model: inout Model) {
    let count = model.view == .memory ? Rows.gpus(model).count : model.view == .events ? Rows.events(model).count : 0
    model.scroll = max(0, min(model.scroll, count - ScreenLayout(model.size).listRows))
}

// MARK: - Text entry

private func editFilter(_ model: inout Model, _ text: String, _ key: Key) -> [Effect] {
    switch key {
    case .enter:
        model.input = .normal
        model.status = model.filter.isEmpty ? nil : StatusMessage("filter: \(model.filter.text) (Esc clears)")
    case .escape:
        model.input = .normal
        model.filter = Filter()
    case .backspace:
        let next = String(text.dropLast())
        model.input = .filter(next)
        model.filter = Filter(next)
    case .char(let c):
        let next = text + String(c)
        model.input = .filter(next)
        model.filter = Filter(next)
    default:
        break
    }
    model.scroll = 0
    return []
}

private func editCommand(_ model: inout Model, _ text: String, _ key: Key) -> [Effect] {
    switch key {
    case .escape:
        model.input = .normal
    case .backspace:
        if text.isEmpty { model.input = .normal } else { model.input = .command(String(text.dropLast())) }
    case .char(let c):
        model.input = .command(text + String(c))
    case .enter:
        model.input = .normal
        return run(&model, text)
    default:
        break
    }
    return []
}

private func run(_ model: inout Model, _ text: String) -> [Effect] {
    switch CommandParser.parse(text) {
    case .failure(let error):
        model.status = StatusMessage(error.description, isError: true)
        return []
    case .success(.action(let action)):
        return perform(&model, action)
    case .success(.view(let view)):
        show(&model, view)
    case .success(.sort(let sort)):
        model.memorySort = sort
        show(&model, .memory)
    case .success(.filter(let text)):
        model.filter = Filter(text)
        model.scroll = 0
    case .success(.node(let name)):
        guard let state = model.shown, let node = state.topology.nodes.first(where: { $0.id.name == name }) else {
            model.status = StatusMessage("no node named '\(name)'", isError: true)
            return []
        }
        model.selectedNode = node.id
        model.node = node.id
    case .success(.control(let command)):
        return requestControl(&model, command)
    case .success(.replay(let request)):
        return replayCommand(&model, request)
    case .success(.theme(let name)):
        return switchTheme(&model, to: name)
    }
    return []
}
