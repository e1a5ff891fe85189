import Foundation
import InfertopWire
import TOMLKit

/// A cluster file: the agents a dashboard subscribes to, with names and tokens.
///
/// ```toml
/// [[agents]]
/// name = "node-07"            # optional
/// address = "10.0.0.7:50051"
/// token = "..."               # optional; needed when the agent has tokens
/// tls = true                  # optional; with ca = "/etc/infertop/ca.pem" to trust a private CA
/// ```
enum ClusterFile {
    static func load(path: String) throws -> [AgentEndpoint] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageFailure(message: "--cluster: cannot read \(path)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func line(of key: String, from start: Int = 0) -> Int {
            (lines.indices.dropFirst(start).first { lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix(key) } ?? 0) + 1
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw UsageFailure(message: "--cluster: \(path):\(error.source.begin.line): not valid TOML")
        }
        for key in table.keys where key != "agents" {
            throw UsageFailure(message: "--cluster: \(path):\(line(of: key)): key '\(key)': unknown; use [[agents]] tables")
        }
        guard let agents = table["agents"]?.array, !agents.isEmpty else {
            throw UsageFailure(message: "--cluster: \(path): no [[agents]] (each needs address = \"HOST:PORT\")")
        }
        var endpoints: [AgentEndpoint] = []
        var searchFrom = 0
        for item in agents {
            let at = line(of: "[[agents]]", from: searchFrom)
            searchFrom = at
            guard let agent = item.table, let address = agent["address"]?.string else {
                throw UsageFailure(message: "--cluster: \(path):\(at): key 'address': each [[agents]] needs address = \"HOST:PORT\"")
            }
            switch AgentEndpoint.parse(address) {
            case .failure(let error):
                throw UsageFailure(message: "--cluster: \(path):\(line(of: "address", from: at - 1)): key 'address': \(error)")
            case .success(var endpoint):
                endpoint.name = agent["name"]?.string
                endpoint.token = agent["token"]?.string
                endpoint.caPath = agent["ca"]?.string
                endpoint.tls = agent["tls"]?.bool ?? false || endpoint.caPath != nil
                endpoints.append(endpoint)
            }
        }
        return endpoints
    }
}
