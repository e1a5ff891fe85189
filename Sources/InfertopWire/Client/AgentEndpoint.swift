import Foundation

/// Where an agent listens, and the token to present.
public struct AgentEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// An operator's name for it (from a cluster file); the address otherwise.
    public var name: String?
    public var token: String?
    /// Speak TLS to the agent; `caPath` (PEM) names the roots to trust, else the system's.
    public var tls: Bool
    public var caPath: String?

    public init(host: String, port: Int, name: String? = nil, token: String? = nil, tls: Bool = false,
        caPath: String? = nil)
    {
        self.host = host
        self.port = port
        self.name = name
        self.token = token
        self.tls = tls || caPath != nil
        self.caPath = caPath
    }

    /// `host:port` as written on the command line.
    public var description: String { "\(host):\(port)" }

    /// Parses `HOST:PORT` (`[v6]:PORT` for IPv6); nil with a reason when malformed.
    public static func parse(_ text: String) -> Result<AgentEndpoint, AgentEndpointError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var host = ""
        var portText = ""
        if trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") {
            host = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
            let rest = trimmed[trimmed.index(after: close)...]
            guard rest.hasPrefix(":") else { return .failure(AgentEndpointError(text: text)) }
            portText = String(rest.dropFirst())
        } else {
            guard let colon = trimmed.lastIndex(of: ":") else { return .failure(AgentEndpointError(text: text)) }
            host = String(trimmed[..<colon])
            portText = String(trimmed[trimmed.index(after: colon)...])
        }
        guard !host.isEmpty, let port = Int(portText), (1...65535).contains(port) else {
            return .failure(AgentEndpointError(text: text))
        }
        return .success(AgentEndpoint(host: host, port: port))
    }
}

/// A malformed `HOST:PORT`.
public struct AgentEndpointError: Error, Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public var description: String { "'\(text)' is not HOST:PORT (e.g. 10.0.0.7:50051 or node-07:50051)" }
}
