import Foundation
import InfertopCLI
import InfertopCore
import InfertopTerminal
import InfertopUI

/// The wall's drawing loop: feed updates in, changed cells out, about once a second when nothing
/// arrives (the freshness and the cycle move on their own), never a full clear, so it never
/// blinks. Keys other than quit do nothing; there is no control path at all.
struct WallRunner {
    let theme: Theme
    let colors: ColorDepth?
    let forceASCII: Bool
    let settings: WallSettings

    static let frameInterval = Duration.milliseconds(250)

    /// Runs the loop on a thread of its own (its key reads block), until quit or a signal.
    func runOnThread<Feed: ClusterFeed>(feed: Feed, source: String) async throws {
        try await UIThread.run(named: "infertop-wall") { try self.run(feed: feed, source: source) }
    }

    /// Runs until quit, with log lines kept off the screen while it is up.
    /// - Throws: `StoppedBySignal` on SIGINT, SIGTERM or SIGHUP, once the terminal is restored.
    func run<Feed: ClusterFeed>(feed: Feed, source: String) throws {
        try DashboardLogs.output.whileScreenIsUp { try draw(feed: feed, source: source) }
    }

    private func draw<Feed: ClusterFeed>(feed: Feed, source: String) throws {
        let terminal = try CursesTerminal(theme: theme, forcedDepth: colors)
        defer { terminal.stop() }
        // Cluster time 0 is when the feed starts, a moment from now: the time of day of data.
        let clock = WallClock(
            epoch: Date().timeIntervalSince1970, utcOffset: Double(TimeZone.current.secondsFromGMT()))
        var wall = WallModel(
            size: terminal.size, glyphs: terminal.unicode && !forceASCII ? .unicode : .ascii,
            depth: terminal.drawingDepth,
            source: source, settings: settings, clock: clock)
        let mailbox = UpdateMailbox()
        let feedTask = mailbox.follow(feed)
        defer { feedTask.cancel() }
        let monotonic = ContinuousClock()
        let start = monotonic.now
        var previous: Screen?
        while true {
            if let signal = TerminalSignals.requestedSignal() { throw StoppedBySignal(signal: signal) }
            if let event = terminal.readEvent(
                timeoutMilliseconds: Int(Self.frameInterval.components.attoseconds / 1_000_000_000_000_000))
            {
                switch event {
                case .key(let key):
                    if wallUpdate(&wall, .key(key)) { return }
                case .resize(let size):
                    _ = wallUpdate(&wall, .resized(size))
                    terminal.forceFullRedraw()
                    previous = nil
                }
            }
            _ = wallUpdate(&wall, .clusterBatch(mailbox.drain()))
            let elapsed = monotonic.now - start
            _ = wallUpdate(
                &wall, .tick(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18))
            let screen = wallView(wall)
            if screen != previous {
                terminal.draw(screen.diff(from: previous))
                previous = screen
            }
        }
    }
}
