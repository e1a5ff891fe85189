import ArgumentParser
import InfertopUI
import InfertopWire

/// `infertop wall`: a read-only display for a tmux pane nobody touches. It cycles the views,
/// holds on the culprit's view in large type while there is one, always shows how fresh the
/// data is, and says `NO DATA since …` over the whole pane when every source is lost.
struct WallCommand: AsyncParsableCommand, LiveScreenCommand {
    static let configuration = CommandConfiguration(
        commandName: "wall",
        abstract: "A read-only wall display: cycles the views, holds on the culprit in large type.",
        discussion: """
            Sources as the dashboard: --demo (with --seed, --start-at, ...), --agents or --cluster. No key \
            does anything but q (quit); nothing in the wall can change the cluster. Fits panes down to 40x12.
            """
    )

    @Flag(help: "Show the built-in simulated cluster.")
    var demo = false

    @OptionGroup var simulation: SimulationOptions
    @OptionGroup var clock: DemoClockOptions
    @OptionGroup var sources: AgentSources
    @OptionGroup var prometheus: PrometheusOptions
    @OptionGroup var screen: LiveScreenOptions

    @Option(
        help: "How long each view shows while there is no culprit, e.g. 20s, 1m (5s-1h; default 20s, or [wall] cycle).")
    var cycle: String?

    @Option(
        help:
            "Views to cycle, in order: overview, memory, interconnect, requests, shards (default overview,requests,interconnect, or [wall] views)."
    )
    var views: String?

    mutating func validate() throws {
        guard sources.controller == nil else {
            throw ValidationError("--controller: the wall is read-only and sends no control call; leave it out")
        }
        _ = try settings(WallSettings())
    }

    /// What to show: `--demo`, else the command line's sources, else the config file's.
    func checkedSources(_ sources: AgentSources) throws {
        guard demo != (!sources.isEmpty || prometheus.prometheus != nil) else {
            throw ValidationError(
                demo
                    ? "--demo shows the simulated cluster: leave out --agents and --cluster"
                    : "say what to show: --demo, --agents HOST:PORT[,...], --cluster FILE or --prometheus URL")
        }
    }

    /// The cycle settings: `--cycle` and `--views` over the config file's `[wall]`.
    func settings(_ configured: WallSettings) throws -> WallSettings {
        var settings = configured
        if let cycle {
            guard let duration = DurationText.parse(cycle), WallSettings.cycleRange.contains(duration) else {
                throw ValidationError("--cycle must be a duration from 5s to 1h such as 20s or 2m, got '\(cycle)'")
            }
            settings.cycle = duration
        }
        guard let views else { return settings }
        var kinds: [ViewKind] = []
        for name in views.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let kind = ViewKind(rawValue: name), WallSettings.cyclable.contains(kind) else {
                let allowed = WallSettings.cyclable.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--views: '\(name)' is not a view the wall shows; use \(allowed)")
            }
            kinds.append(kind)
        }
        guard !kinds.isEmpty else { throw ValidationError("--views needs at least one view, e.g. overview,requests") }
        settings.views = kinds
        return settings
    }

    func run() async throws {
        let config = try screen.configFile.load()
        // The demo is its own source: the config file's agents are for the real cluster.
        let sources = demo ? self.sources : self.sources.merged(with: config.sources)
        try checkedSources(sources)
        let display = screen.display.merged(with: config.display)
        let theme = try display.loadTheme()
        let runner = WallRunner(
            theme: theme, colors: display.colors.depth, forceASCII: display.ascii, settings: try settings(config.wall))
        if demo {
            let source = "demo seed \(simulation.seed)"
            let recorder = try screen.recording.start(source: source)
            defer { screen.recording.finish(recorder) }
            try await DemoCluster.run(simulation: simulation, clock: clock, control: false) { cluster in
                var feed = AgentsFeed(endpoints: cluster.agents.endpoints)
                feed.recorder = recorder
                try await runner.runOnThread(feed: feed, source: source)
            }
        } else {
            let endpoints = try sources.endpoints()
            let fleet = try prometheus.fleet()
            let source = Infertop.sourceName(agents: endpoints.count, fleet: fleet)
            var feed = AgentsFeed(endpoints: endpoints, fleet: fleet)
            feed.recorder = try screen.recording.start(source: source)
            defer { screen.recording.finish(feed.recorder) }
            try await runner.runOnThread(feed: feed, source: source)
        }
    }
}
