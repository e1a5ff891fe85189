import InfertopCore

/// Draws the whole screen for a model: header, the current view, footer, overlays.
///
/// Pure: the same model gives the same screen. Below 80x24 it draws only a message naming the
/// size it needs. This is the one place that reads the `Model`: it picks out what each view draws
/// and hands it over, so a view's inputs are the arguments of its `render` (the node and overview
/// views, whose parts share them, hold them as stored properties) and no view or widget sees the model.
public func view(_ model: Model) -> Screen {
    var screen = Screen(size: model.size)
    let layout = ScreenLayout(model.size)
    let g = model.glyphs
    if layout.isTooSmall {
        TooSmallView.render(size: model.size, quitKey: model.keymap.keyLabel(for: .quit), into: &screen)
        return screen
    }
    HeaderView.render(
        model.shown, source: model.source, culprits: model.culprits, isPaused: model.isPaused, glyphs: g,
        into: &screen)
    if let state = model.shown { renderBody(model, state, into: &screen, body: layout.body) }
    FooterView.render(
        input: model.input, filter: model.filter, isPaused: model.isPaused,
        marked: model.markedNodes.count + model.markedReplicas.count, replay: model.replay,
        isReadOnly: model.isReadOnly, status: model.status, keymap: model.keymap, context: model.context, glyphs: g,
        into: &screen)
    if model.showHelp {
        HelpView.render(
            keymap: model.keymap, context: model.context, isReplay: model.isReplay,
            readOnlyReason: model.readOnlyReason, glyphs: g, into: &screen, body: layout.body)
    }
    if let dialog = model.dialog { DialogView.render(dialog, glyphs: g, into: &screen, body: layout.body) }
    if !g.isUnicode { screen.asciify() }
    return screen
}

/// The body: the node opened with Enter, else the current view (view 4's open waterfall in place of its list).
private func renderBody(_ model: Model, _ state: ClusterState, into screen: inout Screen, body: Rect) {
    let g = model.glyphs
    if let node = model.node {
        NodeView(state: state, nodeID: node, rules: model.rules, glyphs: g, depth: model.depth)
            .render(into: &screen, body: body)
        return
    }
    switch model.view {
    case .overview:
        OverviewView(
            state: state, rows: Rows.nodes(model), filter: model.filter, selectedNode: model.selectedNode,
            markedNodes: model.markedNodes, rules: model.rules, culprits: model.culprits, glyphs: g, depth: model.depth
        ).render(into: &screen, body: body)
    case .memory:
        MemoryView.render(
            state, rows: Rows.gpus(model), sort: model.memorySort, scroll: model.scroll, selected: model.selectedGPU,
            filter: model.filter, glyphs: g, depth: model.depth, into: &screen, body: body)
    case .interconnect:
        InterconnectView.render(
            state, selectedNode: model.selectedNode, culpritNode: model.culprits.first?.subject.node,
            rules: model.rules, glyphs: g, into: &screen, body: body)
    case .requests:
        if let open = model.requests.open {
            WaterfallView.render(
                state, traceID: open, pinned: model.pinnedTrace, scroll: model.requests.waterfallScroll,
                rules: model.rules, backKey: model.keymap.keyLabel(for: .back), glyphs: g, into: &screen, body: body)
        } else {
            RequestsView.render(
                state, rows: Rows.requests(model), requests: model.requests, filter: model.filter, glyphs: g,
                into: &screen, body: body)
        }
    case .shards:
        ShardsView.render(
            state, replicas: Rows.replicas(model), preview: model.preview, operations: model.operations,
            selected: model.selectedReplica, marked: model.markedReplicas, glyphs: g, into: &screen, body: body)
    case .events:
        EventsView.render(
            Rows.events(model), operations: model.operations, audit: model.audit, scroll: model.scroll,
            filter: model.filter, readOnlyReason: model.readOnlyReason, glyphs: g, into: &screen, body: body)
    }
}

/// What a terminal below 80x24 shows: the size it needs, and how to leave.
enum TooSmallView {
    static func render(size: Size, quitKey: String, into screen: inout Screen) {
        let lines = [
            "infertop needs at least \(Size.minimum) (columns x rows);",
            "this terminal is \(size).",
            "Enlarge it, or zoom out. \(quitKey) quits."
        ]
        let top = max(0, (screen.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let x = max(0, (screen.width - Text.width(line)) / 2)
            screen.put(line, x: x, y: top + i, style: Style(i == 0 ? .warn : .text, i == 0 ? .bold : []))
        }
    }
}
