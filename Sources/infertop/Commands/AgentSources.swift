import ArgumentParser
import Foundation
import InfertopCore
import InfertopWire

/// Where the dashboard and `infertop ctl` find agents: `--agents`, or a `--cluster` file, and
/// which one coordinates operations (`--controller`, else the cluster file's `controller`, else
/// the first agent).
struct AgentSources: ParsableArguments {
    @Option(help: "Agents: HOST:PORT[,HOST:PORT...].")
    var agents: String?

    @Option(help: "A cluster file (TOML) naming the agents and their tokens.")
    var cluster: String?

    @Option(help: "Speak TLS to the --agents, trusting this CA (PEM).")
    var tlsCA: String?

    @Option(
        help:
            "The agent that coordinates operations (HOST:PORT); default: the cluster file's controller, else the first agent."
    )
    var controller: String?

    mutating func validate() throws {
        if let tlsCA, !FileManager.default.isReadableFile(atPath: tlsCA) {
            throw ValidationError("--tls-ca: cannot read \(tlsCA)")
        }
        if agents != nil && cluster != nil { throw ValidationError("say --agents or --cluster, not both") }
        for part in (agents.map { $0.split(separator: ",").map(String.init) } ?? []) + (controller.map { [$0] } ?? []) {
            if case .failure(let error) = AgentEndpoint.parse(part) { throw ValidationError("--agents: \(error)") }
        }
    }

    /// Whether any source was named.
    var isEmpty: Bool { agents == nil && cluster == nil }

    /// The agents, with their tokens and TLS settings.
    func endpoints() throws -> [AgentEndpoint] {
        if let cluster { return try clusterFile(cluster).agents }
        return (agents ?? "").split(separator: ",").compactMap { part in
            guard var endpoint = try? AgentEndpoint.parse(String(part)).get() else { return nil }
            endpoint.caPath = tlsCA
            endpoint.tls = tlsCA != nil
            return endpoint
        }
    }

    /// The coordinator: `--controller` (with the token of the agent it names, if listed), else the
    /// cluster file's `controller`, else the first agent.
    func controllerEndpoint(among endpoints: [AgentEndpoint]) -> AgentEndpoint? {
        guard let controller, var named = try? AgentEndpoint.parse(controller).get() else {
            // The cluster file's `controller`, else the first agent.
            return cluster.flatMap { try? clusterFile($0).controller } ?? endpoints.first
        }
        if let listed = endpoints.first(where: { $0.address == named.address }) { return listed }
        named.caPath = tlsCA
        named.tls = tlsCA != nil
        return named
    }

    private func clusterFile(_ path: String) throws -> ClusterFile {
        do {
            return try ClusterFile.load(path: path)
        } catch let error as ClusterFileError {
            throw UsageFailure(message: "--cluster: \(error)")
        }
    }

    /// The operator this machine's user is, for agents without tokens.
    static var localOperator: String {
        ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "operator"
    }
}
