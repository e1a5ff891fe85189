import ArgumentParser
import Foundation
import InfertopAgent
import InfertopSim
import InfertopUI
import InfertopWire

/// `infertop demo`: the dashboard against a built-in simulated cluster, live.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the dashboard against a seeded simulated cluster (no GPU needed).",
        discussion: "Incidents repeat every 10 simulated minutes: KV-cache pressure at 1:00, a throttled GPU at 3:20, a degraded NVLink at 5:30, a lost node at 7:30, a flapping InfiniBand port at 8:50."
    )

    @OptionGroup var simulation: SimulationOptions
    @OptionGroup var display: DisplayOptions
    @OptionGroup var configFile: ConfigFileOption

    @Option(help: "Simulated seconds per real second (0.1-100).")
    var speed: Double = 1

    @Option(
        name: .customLong("start-at"),
        help: "Simulated second to start at, e.g. 65 for the KV-cache squeeze or 455 for the lost node (default 30).")
    var startAt: Double = 30

    mutating func validate() throws {
        guard speed >= 0.1, speed <= 100 else {
            throw ValidationError("--speed must be between 0.1 and 100 simulated seconds per second, got \(speed)")
        }
        guard startAt >= 0, startAt <= 86_400 else {
            throw ValidationError("--start-at must be 0 to 86400 simulated seconds, got \(startAt)")
        }
    }

    func run() async throws {
        let config = try configFile.load()
        let display = self.display.merged(with: config.display)
        let theme = try display.loadTheme()
        // The real path: an agent server per simulated node on loopback, subscribed over gRPC.
        let fleet = SimulatedFleet(config: simulation.config, speed: speed, warmupSeconds: startAt)
        // Each simulated node keeps what a new subscriber's snapshot carries, not a real node's
        // 20,000 spans: seventeen nodes in one process.
        var spans = OTLPSettings()
        spans.spanCapacity = SubscriptionHub.snapshotSpanLimit
        guard let hubs = fleet.hubs(spans: spans) else { throw UsageFailure(message: "the simulated cluster has no nodes") }
        // node-01's agent coordinates operations, carried out on the simulated fleet; its journal
        // and audit log live for this run only.
        let folder = NSTemporaryDirectory() + "infertop-demo-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let control = try ControlCenter.simulated(fleet: fleet, folder: folder)
        let agents = try await LocalAgents.start(fleet: fleet, hubs: hubs, control: control)
        let source = "demo seed \(simulation.seed)"
        let status: Int32
        do {
            var runner = DashboardRunner(theme: theme, colors: display.colors.depth, forceASCII: display.ascii)
            runner.apply(config)
            runner.configureControl(controller: agents.endpoints.first, readonly: display.readonly)
            status = try await runner.runOnThread(feed: AgentsFeed(endpoints: agents.endpoints), source: source)
        } catch {
            await agents.stopWithin(seconds: 3)
            throw error
        }
        // The terminal is already restored; the agents shut down gracefully before the exit.
        await agents.stopWithin(seconds: 3)
        if status != 0 { throw ExitCode(status) }
    }
}
