import GRPCCore
import GRPCNIOTransportHTTP2
import InfertopCore
import InfertopWire

/// Where and how the agent listens.
public struct ListenConfig: Sendable, Hashable {
    public var host: String
    public var port: Int
    /// Tokens and their roles; required for any address other than loopback.
    public var tokens: [String: Role]
    /// PEM files; TLS is on when both are set.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?

    public init(host: String = "127.0.0.1", port: Int = 50051, tokens: [String: Role] = [:],
        tlsCertificatePath: String? = nil, tlsKeyPath: String? = nil)
    {
        self.host = host
        self.port = port
        self.tokens = tokens
        self.tlsCertificatePath = tlsCertificatePath
        self.tlsKeyPath = tlsKeyPath
    }

    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Refuses to expose the agent beyond this machine without a token.
    public func validate() throws {
        if !isLoopback && tokens.isEmpty {
            throw AgentConfigError(
                "refusing to listen on \(host):\(port) without a token: anyone who can reach it could read the node. "
                    + "Add a token to [[tokens]] in the config (token = \"...\", role = \"viewer\"), "
                    + "or listen on 127.0.0.1")
        }
        if (tlsCertificatePath == nil) != (tlsKeyPath == nil) {
            throw AgentConfigError("TLS needs both tls_certificate and tls_key")
        }
    }
}

/// A problem in the agent's configuration, in words that say how to fix it.
public struct AgentConfigError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The gRPC server of one agent: the `Agent` service over HTTP/2, with token checks and TLS
/// when configured.
public struct AgentServer: Sendable {
    public let hub: SubscriptionHub
    public let listen: ListenConfig
    public let capabilities: [String]

    public init(hub: SubscriptionHub, listen: ListenConfig, capabilities: [String]) {
        self.hub = hub
        self.listen = listen
        self.capabilities = capabilities
    }

    /// Serves until cancelled; `bound` is called once with the port actually bound.
    public func serve(bound: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        try listen.validate()
        let security: HTTP2ServerTransport.Posix.TransportSecurity
        if let cert = listen.tlsCertificatePath, let key = listen.tlsKeyPath {
            security = .tls(certificateChain: [.file(path: cert, format: .pem)], privateKey: .file(path: key, format: .pem))
        } else {
            security = .plaintext
        }
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: listen.host == "localhost" ? "127.0.0.1" : listen.host, port: listen.port),
            transportSecurity: security)
        let server = GRPCServer(
            transport: transport, services: [AgentService(hub: hub, capabilities: capabilities)],
            interceptors: [TokenAuthenticator(tokens: listen.tokens)])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            group.addTask {
                if let address = try await transport.listeningAddress.ipv4 { bound(address.port) }
            }
            try await group.waitForAll()
        }
    }
}
