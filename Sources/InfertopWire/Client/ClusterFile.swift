import Foundation
import InfertopCore
import InfertopTOML

/// A cluster file: the agents a dashboard subscribes to (with names and tokens), and the agent
/// that coordinates operations. The coordinating agent reads the same file for its view of the
/// whole cluster (`[control] cluster` in its config).
///
/// ```toml
/// controller = "node-01"      # optional: an agent's name or address; default: the first agent
///
/// [[agents]]
/// name = "node-01"            # optional
/// address = "10.0.0.7:50051"
/// token = "..."               # optional; needed when the agent has tokens
/// tls = true                  # optional; with ca = "/etc/infertop/ca.pem" to trust a private CA
/// ```
public struct ClusterFile: Sendable {
    public var agents: [AgentEndpoint]
    /// The coordinating agent, one of `agents`; nil when the file names none.
    public var controller: AgentEndpoint?

    /// Reads and checks the file.
    /// - Throws: `ClusterFileError` naming the file, the line and the key.
    public static func load(path: String) throws -> ClusterFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ClusterFileError("cannot read \(path)")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    /// Parses the text of a cluster file; `path` names it in errors.
    public static func parse(_ text: String, path: String) throws -> ClusterFile {
        let (shape, document) = try TOMLDocument.decode(Shape.self, from: text) { ClusterFileError($0, path: path) }
        func fail(_ keys: [String], occurrence: Int = 0, _ what: String) -> ClusterFileError {
            ClusterFileError(
                "\(path):\(document.line(of: keys, occurrence: occurrence) ?? 1): key '\(keys.last!)': \(what)")
        }
        guard let agents = shape.agents, !agents.isEmpty else {
            throw ClusterFileError("\(path): no [[agents]] (each needs address = \"HOST:PORT\")")
        }
        var file = ClusterFile(agents: [], controller: nil)
        for (n, agent) in agents.enumerated() {
            switch AgentEndpoint.parse(agent.address) {
            case .failure(let error):
                throw fail(["agents", "address"], occurrence: n, "\(error)")
            case .success(var endpoint):
                (endpoint.name, endpoint.token, endpoint.caPath) = (agent.name, agent.token, agent.ca)
                endpoint.tls = agent.tls ?? false || endpoint.caPath != nil
                file.agents.append(endpoint)
            }
        }
        if let named = shape.controller {
            guard let controller = file.agent(named: named) else {
                let names = file.agents.map { $0.name ?? $0.description }.joined(separator: ", ")
                throw fail(["controller"], Shape.problems["controller"]! + " (\(names))")
            }
            file.controller = controller
        }
        return file
    }

    /// The agent with this name, or at this address.
    public func agent(named name: String) -> AgentEndpoint? {
        if let named = agents.first(where: { $0.name == name }) { return named }
        guard let address = try? HostPort.parse(name).get() else { return nil }
        return agents.first { $0.address == address }
    }
}

/// A cluster file that cannot be used, in one sentence naming the file, line and key.
public struct ClusterFileError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }

    /// A mistake the decoding found, in the cluster file's words.
    init(_ mistake: TOMLMistake, path: String) {
        let location = "\(path):\(mistake.line ?? 1): " + (mistake.key.map { "key '\($0)': " } ?? "")
        switch mistake.kind {
        case .syntax(let description):
            self.init("\(path):\(mistake.line ?? 1): not valid TOML: \(description)")
        case .unknownKey(let known, let suggestion):
            let near = suggestion.map { "did you mean '\($0)'? " } ?? ""
            let table =
                mistake.keys.count > 1
                ? "an [[agents]] table has \(known.joined(separator: ", "))"
                : "use [[agents]] tables and controller = \"NAME\""
            self.init(location + "unknown; \(near)\(table)")
        case .wrongType, .missing:
            self.init(location + (ClusterFile.Shape.problems[mistake.key ?? ""] ?? "has the wrong type"))
        }
    }
}

extension ClusterFile {
    /// A cluster file as TOML writes it.
    struct Shape: TOMLTableShape {
        var controller: String?, agents: [Agent]?

        enum CodingKeys: String, TOMLKeys { case controller, agents }

        static var nestedTables: [CodingKeys: any TOMLTableShape.Type] { [.agents: Agent.self] }

        /// One `[[agents]]` table.
        struct Agent: TOMLTableShape {
            var address: String
            var name: String?, token: String?, tls: Bool?, ca: String?

            enum CodingKeys: String, TOMLKeys { case name, address, token, tls, ca }
        }

        /// What each key must hold, for a value of the wrong type or a required key left out.
        static let problems = [
            "agents": "must be [[agents]] tables, each with address = \"HOST:PORT\"",
            "address": "each [[agents]] needs address = \"HOST:PORT\"",
            "controller": "must name one of the [[agents]] by name or address",
            "name": "must be a string", "token": "must be a string", "tls": "must be true or false",
            "ca": "must be the path of a PEM file (a private CA to trust)"
        ]
    }
}
