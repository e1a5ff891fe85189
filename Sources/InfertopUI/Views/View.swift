import InfertopCore

/// Draws the whole screen for a model: header, the current view, footer, overlays.
///
/// Pure: the same model gives the same screen. Below 80x24 it draws only a message naming the
/// size it needs.
public func view(_ model: Model) -> Screen {
    var screen = Screen(size: model.size)
    let layout = ScreenLayout(model.size)
    if layout.isTooSmall {
        TooSmallView.render(model, into: &screen)
        return screen
    }
    HeaderView.render(model, into: &screen)
    if let state = model.shown {
        if let node = model.node {
            NodeView.render(model, state, node: node, into: &screen, body: layout.body)
        } else {
            switch model.view {
            case .overview: OverviewView.render(model, state, into: &screen, body: layout.body)
            case .memory: MemoryView.render(model, state, into: &screen, body: layout.body)
            case .interconnect: InterconnectView.render(model, state, into: &screen, body: layout.body)
            case .requests: RequestsView.render(model, state, into: &screen, body: layout.body)
            case .shards: ShardsView.render(model, state, into: &screen, body: layout.body)
            case .events: EventsView.render(model, into: &screen, body: layout.body)
            }
        }
    }
    FooterView.render(model, into: &screen)
    if model.showHelp { HelpView.render(model, into: &screen, body: layout.body) }
    if let dialog = model.dialog { DialogView.render(model, dialog, into: &screen, body: layout.body) }
    if !model.glyphs.isUnicode { screen.asciify() }
    return screen
}

/// What a terminal below 80x24 shows: the size it needs, and how to leave.
enum TooSmallView {
    static func render(_ model: Model, into screen: inout Screen) {
        let lines = [
            "infertop needs at least \(Size.minimum) (columns x rows);",
            "this terminal is \(model.size).",
            "Enlarge it, or zoom out. \(model.keymap.keyLabel(for: .quit)) quits."
        ]
        let top = max(0, (screen.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let x = max(0, (screen.width - Text.width(line)) / 2)
            screen.put(line, x: x, y: top + i, style: Style(i == 0 ? .warn : .text, i == 0 ? .bold : []))
        }
    }
}
