import ArgumentParser
import Foundation
import InfertopCollectors
import InfertopCore
import InfertopReplay
import InfertopSim
import InfertopUI
import Logging

/// `infertop snapshot`: one frame of the dashboard printed with no terminal, for scripts,
/// CI and screenshots. Deterministic: the same arguments print the same bytes.
struct SnapshotCommand: AsyncParsableCommand, DashboardLogging {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Print one frame of the dashboard without a terminal."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, ansi, svg }

    @Flag(help: "Take the frame from the built-in simulated cluster.")
    var demo = false

    @Option(help: "Take the frame from a recording made with --record: the frame the screen showed at --at.")
    var replay: String?

    @OptionGroup var prometheus: PrometheusOptions
    @OptionGroup var simulation: SimulationOptions
    @OptionGroup var display: DisplayOptions
    @OptionGroup var configFile: ConfigFileOption
    @OptionGroup var logging: DashboardLogOptions

    @Option(
        help: """
            When: with --demo, simulated seconds (default 120); with --replay, seconds from the start of the             recording (83.25) or the clock time the screen showed (02:14:30, UTC), default its end.
            """)
    var at: String?

    @Option(help: "View to print: overview, memory, interconnect, requests, shards or events.")
    var view: ViewKind = .overview

    @Option(help: "Open this node's detail over the view.")
    var node: String?

    @Flag(help: "Open the waterfall of the selected request in view 4, as its key (Enter) would.")
    var waterfall = false

    @Flag(
        help:
            "Print the frame `infertop wall` shows (the culprit's view in large type, or --view); sizes down to 40x12.")
    var wall = false

    @Option(
        name: .customLong("command"),
        help: ArgumentHelp(
            "Type a : command before the frame is taken, e.g. 'drain node-03 --reason disk' opens its dialog, 'help' the help (repeatable; nothing is sent to a cluster).",
            valueName: "text"))
    var commands: [String] = []

    @Option(help: "Frame size as COLSxROWS, at least 80x24 (40x12 with --wall).")
    var size: String = "120x40"

    @Option(help: "Output: text, ansi (colours as escape sequences) or svg (a picture in the theme's colours).")
    var format: Format = .text

    mutating func validate() throws {
        let named = [demo, replay != nil, prometheus.prometheus != nil].filter { $0 }.count
        guard named == 1 else {
            throw ValidationError(
                named > 1
                    ? "say only one of --demo, --replay FILE or --prometheus URL"
                    : "snapshot needs --demo, --replay FILE or --prometheus URL: frames from live agents are not available yet"
            )
        }
        if demo { _ = try demoTime() }
        _ = try parsedSize()
        if wall, waterfall || node != nil || !commands.isEmpty {
            throw ValidationError(
                "--wall prints the read-only wall: it opens no waterfall, node or command; leave out --waterfall, --node and --command"
            )
        }
    }

    /// `--at` for the demo: simulated seconds, 0 to a day.
    func demoTime() throws -> Double {
        guard let at else { return 120 }
        guard let seconds = Double(at), seconds.isFinite else {
            throw ValidationError("--at must be a number of simulated seconds with --demo, got '\(at)'")
        }
        guard seconds >= 0 else { throw ValidationError("--at must be zero or more seconds, got \(at)") }
        guard seconds <= 86_400 else { throw ValidationError("--at must be at most 86400 seconds (a day), got \(at)") }
        return seconds
    }

    func parsedSize() throws -> Size {
        let parts = size.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let columns = Int(parts[0]), let rows = Int(parts[1]), columns > 0, rows > 0 else {
            throw ValidationError("--size must look like COLSxROWS (e.g. 120x40), got '\(size)'")
        }
        let minimum = wall ? WallModel.minimumSize : Size.minimum
        guard columns >= minimum.columns, rows >= minimum.rows else {
            throw ValidationError(
                "--size \(size) is too small: the \(wall ? "wall" : "dashboard") needs at least \(minimum)")
        }
        guard columns <= 1000, rows <= 500 else {
            throw ValidationError("--size \(size) is too large: at most 1000x500")
        }
        return Size(columns: columns, rows: rows)
    }

    func run() async throws {
        let config = try configFile.load()
        let display = self.display.merged(with: config.display)
        var theme = try display.loadTheme()
        let available = display.colors.depth ?? .full
        let depth = theme.drawingDepth(available)
        let glyphs: Glyphs = display.ascii ? .ascii : .unicode
        var model: Model
        var failed = false
        if let fleet = try prometheus.fleet() {
            let taken = await prometheusModel(fleet, size: try parsedSize(), glyphs: glyphs, depth: depth)
            model = taken.0
            failed = taken.1
        } else if let replay {
            model = try replayedModel(replay, size: try parsedSize(), glyphs: glyphs, depth: depth)
        } else {
            model = Model(size: try parsedSize(), glyphs: glyphs, depth: depth, source: "demo seed \(simulation.seed)")
            let state = SimulatedCluster.state(
                config: simulation.config, at: try demoTime(), spans: view == .requests || waterfall)
            _ = update(&model, .cluster(.snapshot(state, sequence: 0)))
        }
        model.keymap = config.keymap
        model.themeName = display.themeName
        model.view = waterfall ? .requests : view
        if let node {
            guard let state = model.shown, state.topology.node(NodeID(node)) != nil else {
                throw UsageFailure(
                    message:
                        "--node: no node named '\(node)' in this cluster (e.g. \(model.shown?.topology.nodes.first?.id.name ?? "node-01"))"
                )
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
        let screen = wall ? wallView(wallModel(model)) : InfertopUI.view(model)
        switch format {
        case .text: print(screen.rows.joined(separator: "\n"))
        case .ansi: print(screen.ansi(theme: theme, depth: model.depth), terminator: "")
        case .svg: print(screen.svg(theme: theme, depth: model.depth), terminator: "")
        }
        if failed { throw ExitCode(1) }
    }

    /// The wall around `model`'s state, cycled to `--view` while there is no culprit.
    private func wallModel(_ model: Model) -> WallModel {
        var settings = WallSettings()
        if !settings.views.contains(view) { settings.views.insert(view, at: 0) }
        var wall = WallModel(
            size: model.size, glyphs: model.glyphs, depth: model.depth, source: model.source, settings: settings)
        wall.dashboard = model
        wall.cycleIndex = settings.views.firstIndex(of: view) ?? 0
        return wall
    }

    /// Presses the key the keymap binds to `action` in `context`.
    private func press(_ action: Action, in context: KeyContext, _ model: inout Model) -> [Effect] {
        guard let key = model.keymap.bindings.first(where: { $0.action == action && $0.context == context })?.keys.first
        else { return [] }
        return update(&model, .key(key))
    }
}

extension SnapshotCommand {
    /// The model the replay shows at `--at`: every input the recording received at or before it,
    /// folded as the live dashboard folded them. A cut file is logged as a warning.
    func replayedModel(_ path: String, size: Size, glyphs: Glyphs, depth: ColorDepth) throws -> Model {
        let recording = try RecordingLoader.open(path)
        let position = try at.map { try RecordingLoader.position($0, in: recording) } ?? recording.length
        var model = Model(size: size, glyphs: glyphs, depth: depth, source: recording.header.source)
        var timeline = ReplayTimeline(recording: recording)
        timeline.move(&model, to: position)
        if let damage = timeline.damage {
            Logger(label: "infertop").warning("\(damage.sentence)", metadata: ["file": "\(path)"])
        }
        return model
    }
}

extension SnapshotCommand {
    /// The model after one refresh of `fleet`, folded by the merger the dashboard uses; `failed`
    /// when Prometheus gave no answer (the frame then says why).
    func prometheusModel(_ fleet: PrometheusFleet, size: Size, glyphs: Glyphs, depth: ColorDepth) async -> (Model, Bool)
    {
        var merged = MergedCluster()
        merged.fold { $0.receive(SourceStatus(address: fleet.address, kind: .fleet), now: 0) }
        var mapping = PrometheusFleetMapping()
        let event: FleetEvent
        var failed = false
        switch await fleet.refresh(&mapping, at: 0) {
        case .success(let refreshed):
            event = refreshed
        case .failure(let error):
            failed = true
            event = .status(
                SourceStatus(
                    address: fleet.address, state: .retrying(reason: error.description, inSeconds: fleet.backoff.first),
                    kind: .fleet))
        }
        merged.fold { $0.receive(event, from: fleet.address, now: 0) }
        var model = Model(
            size: size, glyphs: glyphs, depth: depth, source: Infertop.sourceName(agents: 0, fleet: fleet))
        _ = update(&model, .cluster(.snapshot(merged.state, sequence: 1)))
        return (model, failed)
    }
}

extension ViewKind: ExpressibleByArgument {}
