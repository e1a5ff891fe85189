import ArgumentParser
import Foundation
import InfertopAgent
import InfertopCore

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

/// Runs the command; bad flags or config are one line on stderr and exit status 2.
@main
enum AgentMain {
    static func main() async {
        MallocArenas.limit()
        do {
            var command = try AgentCommand.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as AgentConfigFileError {
            fail("\(error)")
        } catch let error as AgentConfigError {
            fail("\(error)")
        } catch {
            let code = AgentCommand.exitCode(for: error)
            if code == .success { AgentCommand.exit(withError: error) }
            let message = AgentCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            if code == .validationFailure { fail(message) }
            Log.error(message)
            Foundation.exit(1)
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("infertop-agent: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
