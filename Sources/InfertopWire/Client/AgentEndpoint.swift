import Foundation
import InfertopCore

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

    public init(
        host: String, port: Int, name: String? = nil, token: String? = nil, tls: Bool = false,
        caPath: String? = nil
    ) {
        self.host = host
        self.port = port
        self.name = name
        self.token = token
        self.tls = tls || caPath != nil
        self.caPath = caPath
    }

    /// The address alone.
    public var address: HostPort { HostPort(host: host, port: port) }

    /// `host:port` as written on the command line (`[v6]:port` for IPv6).
    public var description: String { address.description }

    /// Parses `HOST:PORT` (`[v6]:PORT` for IPv6); the reason when malformed.
    public static func parse(_ text: String) -> Result<AgentEndpoint, HostPortError> {
        HostPort.parse(text, for: .connect).map { AgentEndpoint(host: $0.host, port: $0.port) }
    }
}
