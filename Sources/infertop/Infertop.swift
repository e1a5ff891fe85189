import ArgumentParser
import Foundation
import InfertopCLI
import InfertopCore
import InfertopWire

/// The `infertop` command: the dashboard, its demo and its one-frame snapshots.
struct Infertop: AsyncParsableCommand, LiveScreenCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "infertop",
        abstract: "A terminal dashboard for large-model inference clusters.",
        discussion: """
            Live per-GPU memory (weights, KV cache, activations), the culprit of the moment, and a
            drill-down to any node. `infertop demo` runs it against a built-in simulated cluster:
            no GPU needed.
            """,
        version: version,
        subcommands: [
            DemoCommand.self, WallCommand.self, SnapshotCommand.self, ReplayCommand.self, CtlCommand.self,
            ConfigCommand.self
        ]
    )

    @OptionGroup var sources: AgentSources
    @OptionGroup var prometheus: PrometheusOptions

    @OptionGroup var screen: LiveScreenOptions

    func run() async throws {
        let config = try screen.configFile.load()
        let sources = self.sources.merged(with: config.sources)
        guard !sources.isEmpty || prometheus.prometheus != nil else {
            print(Infertop.helpMessage())
            return
        }
        let endpoints = try sources.endpoints()
        let fleet = try prometheus.fleet()
        let source = Infertop.sourceName(agents: endpoints.count, fleet: fleet)
        var (runner, display) = try screen.dashboardRunner(config)
        runner.configureControl(controller: sources.controllerEndpoint(among: endpoints), readonly: display.readonly)
        var feed = AgentsFeed(endpoints: endpoints, fleet: fleet)
        feed.recorder = try screen.recording.start(source: source)
        defer { screen.recording.finish(feed.recorder) }
        try await runner.runOnThread(feed: feed, source: source)
    }
}

extension Infertop {
    /// How the header names the sources: `3 agents`, `prometheus`, or both (short: the header
    /// keeps its figures; the overview names the server when it is down or lacks series).
    static func sourceName(agents: Int, fleet: (any FleetSource)?) -> String {
        let agentsName = agents == 1 ? "1 agent" : "\(agents) agents"
        guard fleet != nil else { return agentsName }
        return agents == 0 ? "prometheus" : "\(agentsName) + prometheus"
    }
}

/// Runs the command through the shared ``CommandMain``: usage errors are status 2 with one line
/// on stderr naming the flag and what is allowed; help and version are status 0.
@main
enum Main {
    static func main() async {
        MallocArenas.limit()
        await CommandMain.run(
            Infertop.self, program: "infertop", isUsageError: { $0 is UsageFailure || $0 is LogFileError },
            prepare: DashboardLogs.bootstrap(for:))
    }
}

/// A bad flag or file, reported as one line and exit status 2.
struct UsageFailure: Error, CustomStringConvertible {
    let message: String

    var description: String { message }
}
