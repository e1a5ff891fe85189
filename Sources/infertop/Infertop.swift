import ArgumentParser
import Foundation
import InfertopWire

/// The `infertop` command: the dashboard, its demo and its one-frame snapshots.
struct Infertop: AsyncParsableCommand {
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
        subcommands: [DemoCommand.self, SnapshotCommand.self]
    )

    @Option(help: "Agents to subscribe to: HOST:PORT[,HOST:PORT...].")
    var agents: String?

    @Option(help: "A cluster file (TOML) naming the agents and their tokens.")
    var cluster: String?

    @Option(name: .customLong("tls-ca"), help: "Speak TLS to the --agents, trusting this CA (PEM).")
    var tlsCA: String?

    @OptionGroup var display: DisplayOptions

    mutating func validate() throws {
        if let tlsCA, !FileManager.default.isReadableFile(atPath: tlsCA) {
            throw ValidationError("--tls-ca: cannot read \(tlsCA)")
        }
        if agents != nil && cluster != nil { throw ValidationError("say --agents or --cluster, not both") }
        if let agents {
            for part in agents.split(separator: ",") {
                if case .failure(let error) = AgentEndpoint.parse(String(part)) { throw ValidationError("--agents: \(error)") }
            }
        }
    }

    func run() async throws {
        let endpoints: [AgentEndpoint]
        if let cluster {
            endpoints = try ClusterFile.load(path: cluster)
        } else if let agents {
            endpoints = agents.split(separator: ",").compactMap { part in
                guard var endpoint = try? AgentEndpoint.parse(String(part)).get() else { return nil }
                endpoint.caPath = tlsCA
                endpoint.tls = tlsCA != nil
                return endpoint
            }
        } else {
            print(Infertop.helpMessage())
            return
        }
        let theme = try display.loadTheme()
        let source = endpoints.count == 1 ? "1 agent" : "\(endpoints.count) agents"
        let status = try await DashboardRunner(theme: theme, colors: display.colors.depth, forceASCII: display.ascii)
            .runOnThread(feed: AgentsFeed(endpoints: endpoints), source: source)
        if status != 0 { throw ExitCode(status) }
    }
}

/// Runs the command and maps errors to exit codes: usage errors are status 2 with one line
/// on stderr naming the flag and what is allowed; help and version are status 0.
@main
enum Main {
    static func main() async {
        do {
            var command = try Infertop.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let failure as UsageFailure {
            FileHandle.standardError.write(Data("infertop: \(failure.message)\n".utf8))
            Foundation.exit(2)
        } catch {
            let code = Infertop.exitCode(for: error)
            if code == .success {
                Infertop.exit(withError: error)
            }
            let message = Infertop.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("infertop: \(message)\n".utf8))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// A bad flag or file, reported as one line and exit status 2.
struct UsageFailure: Error {
    let message: String
}
