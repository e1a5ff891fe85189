import Foundation
import InfertopCore
import TOMLKit

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
        let locator = TOMLKeyLocator(text)
        func fail(_ at: Int?, _ key: String, _ what: String) -> ClusterFileError {
            ClusterFileError("\(path):\(at ?? 1): key '\(key)': \(what)")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ClusterFileError("\(path):\(error.source.begin.line): not valid TOML")
        }
        for key in table.keys where key != "agents" && key != "controller" {
            throw fail(
                locator.line(of: key, in: "") ?? locator.line(ofSection: key), key,
                "unknown; use [[agents]] tables and controller = \"NAME\"")
        }
        guard let agents = table["agents"]?.array, !agents.isEmpty else {
            throw ClusterFileError("\(path): no [[agents]] (each needs address = \"HOST:PORT\")")
        }
        var file = ClusterFile(agents: [], controller: nil)
        for (n, item) in agents.enumerated() {
            guard let agent = item.table, let address = agent["address"]?.string else {
                throw fail(
                    locator.line(ofSection: "agents", occurrence: n), "address",
                    "each [[agents]] needs address = \"HOST:PORT\"")
            }
            switch AgentEndpoint.parse(address) {
            case .failure(let error):
                throw fail(locator.line(of: "address", in: "agents", occurrence: n), "address", "\(error)")
            case .success(var endpoint):
                endpoint.name = agent["name"]?.string
                endpoint.token = agent["token"]?.string
                endpoint.caPath = agent["ca"]?.string
                endpoint.tls = agent["tls"]?.bool ?? false || endpoint.caPath != nil
                file.agents.append(endpoint)
            }
        }
        if let item = table["controller"] {
            guard let named = item.string, let controller = file.agent(named: named) else {
                let names = file.agents.map { $0.name ?? $0.description }.joined(separator: ", ")
                throw fail(
                    locator.line(of: "controller", in: ""), "controller",
                    "must name one of the [[agents]] by name or address (\(names))")
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
}
