import Foundation
import InfertopCLI
import InfertopCore
import InfertopTerminal
import InfertopUI
import InfertopWire

/// The drawing loop: keys and feed updates in, changed cells out, at most one frame per
/// `frameInterval` (ten a second unless the config file's `refresh` says otherwise) and nothing at
/// all while nothing changes.
///
/// Runs on the calling thread; feeds run in their own task and only post to a mailbox, so a
/// slow feed never blocks input or drawing. The terminal is restored on every way out.
struct DashboardRunner {
    let theme: Theme
    /// The built-in theme's name, for `:theme`'s list; nil for a theme file.
    var themeName: String? = BuiltInThemes.defaultName
    let colors: ColorDepth?
    let forceASCII: Bool
    /// Where confirmed actions go, and the journal of views 5 and 6 comes from.
    var control = ControlBridge(client: nil)
    /// Why every mutation is refused (`--readonly`), or nil.
    var readOnlyReason: String?
    /// Where every drawn frame is appended with its feed time (`--frame-log`, for tests), or nil.
    var frameLog: FrameLog?
    /// The keys, as the config file's `[keys]` left them.
    var keymap = Keymap.default
    /// The shortest time between two frames.
    var frameInterval = Duration.milliseconds(100)

    /// Runs the loop on a thread of its own, so its blocking key reads never hold one of the
    /// few threads that async tasks (feeds, agents) run on.
    func runOnThread<Feed: ClusterFeed>(feed: Feed, source: String) async throws {
        try await UIThread.run(named: "infertop-ui") { try self.run(feed: feed, source: source) }
    }

    /// Runs the loop over a pump (a replay) on a thread of its own.
    func runOnThread<Pump: DashboardPump>(pump: Pump, source: String) async throws {
        try await UIThread.run(named: "infertop-ui") {
            var pump = pump
            try self.run(pump: &pump, source: source)
        }
    }

    /// Runs until `q` or a signal.
    /// - Throws: `StoppedBySignal` on SIGINT, SIGTERM or SIGHUP, once the terminal is restored.
    func run<Feed: ClusterFeed>(feed: Feed, source: String) throws {
        let mailbox = UpdateMailbox()
        let feedTask = mailbox.follow(feed)
        defer { feedTask.cancel() }
        var pump = LivePump(mailbox: mailbox)
        try run(pump: &pump, source: source)
    }

    /// The loop over whatever brings the cluster in, with log lines kept off the screen while
    /// it is up (they go to `--log-file`, or nowhere).
    func run<Pump: DashboardPump>(pump: inout Pump, source: String) throws {
        try DashboardLogs.output.whileScreenIsUp { try draw(pump: &pump, source: source) }
    }

    /// The loop itself.
    private func draw<Pump: DashboardPump>(pump: inout Pump, source: String) throws {
        let terminal = try CursesTerminal(theme: theme, forcedDepth: colors)
        defer { terminal.stop() }
        var model = Model(
            size: terminal.size, glyphs: terminal.unicode && !forceASCII ? .unicode : .ascii,
            depth: terminal.drawingDepth, keymap: keymap, source: source)
        model.readOnlyReason = readOnlyReason
        model.themeName = themeName
        pump.prepare(&model)
        control.startPolling()
        defer { control.stop() }

        let clock = ContinuousClock()
        var previous: Screen?
        var dirty = true
        var lastFrame = clock.now.advanced(by: .seconds(-1))
        while true {
            if let signal = TerminalSignals.requestedSignal() { throw StoppedBySignal(signal: signal) }
            let sinceFrame = clock.now - lastFrame
            let wait = dirty ? max(0, milliseconds(frameInterval - sinceFrame)) : 100
            if let event = terminal.readEvent(timeoutMilliseconds: wait) {
                switch event {
                case .key(let key):
                    let effects = update(&model, .key(key))
                    if effects.contains(.quit) { return }
                    for case .control(let request) in effects where readOnlyReason == nil { control.perform(request) }
                    for case .replay(let request) in effects { pump.perform(request, &model) }
                    for case .theme(let theme) in effects {
                        terminal.setTheme(theme)
                        model.depth = terminal.drawingDepth
                        previous = nil
                    }
                case .resize(let size):
                    _ = update(&model, .resized(size))
                    terminal.forceFullRedraw()
                    previous = nil
                }
                dirty = true
            }
            for message in control.drain() {
                _ = update(&model, message)
                dirty = true
            }
            if pump.pump(&model) { dirty = true }
            if dirty, clock.now - lastFrame >= frameInterval {
                let screen = view(model)
                terminal.draw(screen.diff(from: previous))
                frameLog?.append(screen, time: model.shown?.time)
                previous = screen
                lastFrame = clock.now
                dirty = false
            }
        }
    }

    private func milliseconds(_ d: Duration) -> Int {
        Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
    }
}

extension DashboardRunner {
    /// Takes the config file's keys and frame rate.
    mutating func apply(_ config: DashboardConfig) {
        keymap = config.keymap
        frameInterval = config.display.refresh
    }

    /// Sends confirmed actions to `controller`; with `readonly`, refuses them all on screen.
    mutating func configureControl(controller: AgentEndpoint?, readonly: Bool) {
        if readonly {
            readOnlyReason = ReadOnlyReason.flag
            control = ControlBridge(client: nil, unavailable: ReadOnlyReason.flag)
        } else if let controller {
            control = ControlBridge(
                client: ControlClient(endpoint: controller, operatorName: AgentSources.localOperator))
        }
    }
}
