import ArgumentParser
import Foundation
import InfertopAgent
import InfertopSim
import InfertopUI
import InfertopWire

/// `infertop demo`: the dashboard against a built-in simulated cluster, live.
struct DemoCommand: AsyncParsableCommand, LiveScreenCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the dashboard against a seeded simulated cluster (no GPU needed).",
        discussion:
            "Incidents repeat every 10 simulated minutes: KV-cache pressure at 1:00, a throttled GPU at 3:20, a degraded NVLink at 5:30, a lost node at 7:30, a flapping InfiniBand port at 8:50."
    )

    @OptionGroup var simulation: SimulationOptions
    @OptionGroup var clock: DemoClockOptions
    @OptionGroup var screen: LiveScreenOptions

    func run() async throws {
        let config = try screen.configFile.load()
        // A bad theme, frame log or --record path fails here, before any agent starts.
        var (runner, display) = try screen.dashboardRunner(config)
        let source = "demo seed \(simulation.seed)"
        let recorder = try screen.recording.start(source: source)
        defer { screen.recording.finish(recorder) }
        // The real path: an agent server per simulated node on loopback, subscribed over gRPC.
        try await DemoCluster.run(simulation: simulation, clock: clock, control: true) { demo in
            runner.configureControl(controller: demo.agents.endpoints.first, readonly: display.readonly)
            var feed = AgentsFeed(endpoints: demo.agents.endpoints)
            feed.recorder = recorder
            try await runner.runOnThread(feed: feed, source: source)
        }
    }
}
