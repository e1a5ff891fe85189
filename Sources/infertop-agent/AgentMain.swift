import ArgumentParser
import Foundation
import InfertopAgent
import InfertopCLI
import InfertopCore
import Logging

/// `infertop-agent`: runs on every GPU node and streams what it sees to dashboards.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infertop-agent",
        abstract: "Collect a node's GPU memory, interconnect and serving metrics and stream them over gRPC.",
        version: AgentService.version,
        subcommands: [RunCommand.self, ConfigCommand.self],
        defaultSubcommand: RunCommand.self
    )
}

/// Runs the command through the shared ``CommandMain``: bad flags or config are one plain line
/// on stderr and exit status 2; once running, the agent's events (and why it stopped, if it
/// failed) are logfmt lines.
@main
enum AgentMain {
    static func main() async {
        MallocArenas.limit()
        await CommandMain.run(
            AgentCommand.self, program: "infertop-agent",
            isUsageError: { $0 is AgentConfigFileError || $0 is AgentConfigError },
            prepare: { command in
                LoggingBootstrap.bootstrap((command as? any LoggingCommand)?.logSettings ?? .standard)
            },
            reportFailure: { message in
                Logger(label: "infertop-agent").error("the agent stopped", metadata: ["error": "\(message)"])
            })
    }
}
