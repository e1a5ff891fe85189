import ArgumentParser
import InfertopCore
import InfertopSim
import InfertopUI

/// `infertop snapshot`: one frame of the dashboard printed with no terminal, for scripts,
/// CI and screenshots. Deterministic: the same arguments print the same bytes.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Print one frame of the dashboard without a terminal."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, ansi, svg }

    @Flag(help: "Take the frame from the built-in simulated cluster.")
    var demo = false

    @OptionGroup var simulation: SimulationOptions
    @OptionGroup var display: DisplayOptions

    @Option(help: "Simulated time of the frame, in seconds from the start.")
    var at: Double = 120

    @Option(help: "View to print: overview, memory, interconnect, requests, shards or events.")
    var view: ViewKind = .overview

    @Option(help: "Open this node's detail over the view.")
    var node: String?

    @Flag(help: "Open the waterfall of the selected request in view 4, as its key (Enter) would.")
    var waterfall = false

    @Option(
        name: .customLong("command"),
        help: ArgumentHelp(
            "Type a : command before the frame is taken, e.g. 'drain node-03 --reason disk' opens its dialog, 'help' the help (repeatable; nothing is sent to a cluster).",
            valueName: "text"))
    var commands: [String] = []

    @Option(help: "Frame size as COLSxROWS, at least 80x24.")
    var size: String = "120x40"

    @Option(help: "Output: text, ansi (colours as escape sequences) or svg (a picture in the theme's colours).")
    var format: Format = .text

    mutating func validate() throws {
        guard demo else {
            throw ValidationError("snapshot needs --demo: frames from live agents are not available yet")
        }
        guard at >= 0, at.isFinite else { throw ValidationError("--at must be zero or more seconds, got \(at)") }
        guard at <= 86_400 else { throw ValidationError("--at must be at most 86400 seconds (a day), got \(at)") }
        _ = try parsedSize()
    }

    func parsedSize() throws -> Size {
        let parts = size.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let columns = Int(parts[0]), let rows = Int(parts[1]), columns > 0, rows > 0 else {
            throw ValidationError("--size must look like COLSxROWS (e.g. 120x40), got '\(size)'")
        }
        guard columns >= Size.minimum.columns, rows >= Size.minimum.rows else {
            throw ValidationError("--size \(size) is too small: the dashboard needs at least \(Size.minimum)")
        }
        guard columns <= 1000, rows <= 500 else {
            throw ValidationError("--size \(size) is too large: at most 1000x500")
        }
        return Size(columns: columns, rows: rows)
    }

    func run() throws {
        var theme = try display.loadTheme()
        let available = display.colors.depth ?? .full
        var model = Model(
            size: try parsedSize(), glyphs: display.ascii ? .ascii : .unicode, depth: theme.drawingDepth(available),
            source: "demo seed \(simulation.seed)")
        model.themeName = display.themeName
        let state = SimulatedCluster.state(config: simulation.config, at: at, spans: view == .requests || waterfall)
        _ = update(&model, .cluster(.snapshot(state, sequence: 0)))
        model.view = waterfall ? .requests : view
        if let node {
            guard state.topology.node(NodeID(node)) != nil else {
                throw UsageFailure(message: "--node: no node named '\(node)' in this cluster (e.g. \(state.topology.nodes.first?.id.name ?? "node-01"))")
            }
            model.node = NodeID(node)
        }
        // Waterfalls, dialogs and themes open through update(), as keys would: the frame is the one
        // the dashboard shows after those keys, drawn by the same views.
        var effects: [Effect] = []
        if waterfall { effects += press(.drill, in: .requests, &model) }
        for command in commands {
            effects += press(.command, in: .global, &model)
            for character in command { effects += update(&model, .key(.char(character))) }
            effects += update(&model, .key(.enter))
        }
        for case .theme(let chosen) in effects {
            theme = chosen
            model.depth = theme.drawingDepth(available)
        }
        let screen = InfertopUI.view(model)
        switch format {
        case .text: print(screen.rows.joined(separator: "\n"))
        case .ansi: print(screen.ansi(theme: theme, depth: model.depth), terminator: "")
        case .svg: print(screen.svg(theme: theme, depth: model.depth), terminator: "")
        }
    }

    /// Presses the key the keymap binds to `action` in `context`.
    private func press(_ action: Action, in context: KeyContext, _ model: inout Model) -> [Effect] {
        guard let key = model.keymap.bindings.first(where: { $0.action == action && $0.context == context })?.keys.first
        else { return [] }
        return update(&model, .key(key))
    }
}

extension ViewKind: ExpressibleByArgument {}
