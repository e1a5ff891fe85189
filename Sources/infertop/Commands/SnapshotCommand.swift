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

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, ansi }

    @Flag(help: "Take the frame from the built-in simulated cluster.")
    var demo = false

    @OptionGroup var simulation: SimulationOptions
    @OptionGroup var display: DisplayOptions
    @OptionGroup var configFile: ConfigFileOption

    @Option(help: "Simulated time of the frame, in seconds from the start.")
    var at: Double = 120

    @Option(help: "View to print: overview, memory, interconnect or requests.")
    var view: ViewKind = .overview

    @Option(help: "Open this node's detail over the view.")
    var node: String?

    @Option(help: "Frame size as COLSxROWS, at least 80x24.")
    var size: String = "120x40"

    @Option(help: "Output: text or ansi (colours as escape sequences).")
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
        let config = try configFile.load()
        let display = self.display.merged(with: config.display)
        let theme = try display.loadTheme()
        let depth = display.colors.depth ?? (format == .ansi ? .full : .full)
        var model = Model(
            size: try parsedSize(), glyphs: display.ascii ? .ascii : .unicode, depth: depth,
            keymap: config.keymap, source: "demo seed \(simulation.seed)")
        let state = SimulatedCluster.state(config: simulation.config, at: at, spans: view == .requests)
        _ = update(&model, .cluster(.snapshot(state, sequence: 0)))
        model.view = view
        if let node {
            guard state.topology.node(NodeID(node)) != nil else {
                throw UsageFailure(message: "--node: no node named '\(node)' in this cluster (e.g. \(state.topology.nodes.first?.id.name ?? "node-01"))")
            }
            model.node = NodeID(node)
        }
        let screen = InfertopUI.view(model)
        switch format {
        case .text: print(screen.rows.joined(separator: "\n"))
        case .ansi: print(screen.ansi(theme: theme, depth: depth), terminator: "")
        }
    }
}

extension ViewKind: ExpressibleByArgument {}
