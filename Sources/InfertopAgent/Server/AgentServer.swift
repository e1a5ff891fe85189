import GRPCCore
import GRPCNIOTransportHTTP2
import InfertopCore
import InfertopWire

/// Where and how the agent listens.
public struct ListenConfig: Sendable, Hashable {
    public var host = "127.0.0.1"
    public var port = 50051
    /// Tokens and their roles; required for any address other than loopback.
    public var tokens: [String: Role] = [:]
    /// The operator each token names, for the journal and the audit log.
    public var tokenNames: [String: String] = [:]
    /// PEM files; TLS is on when both are set.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?

    /// Where it listens, as one address.
    public var address: HostPort { HostPort(host: host, port: port) }

    public var isLoopback: Bool { address.isLoopback }

    /// Refuses to expose the agent beyond this machine without a token.
    public func validate() throws {
        if !isLoopback && tokens.isEmpty {
            throw AgentConfigError(
                "refusing to listen on \(address) without a token: anyone who can reach it could read the node. "
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
///
/// It stops only by graceful shutdown, never by cancelling the task that serves: the server runs
/// in a task of its own, open `Subscribe` streams end when a `ShutdownLatch` is set, and the
/// transport drains every connection it accepted. (Cancelling a serving gRPC server can leave an
/// accepted connection that nobody closes, and NIO traps on it: swift-nio issues 2637 and 3481.)
public struct AgentServer: Sendable {
    public let hub: SubscriptionHub
    public let listen: ListenConfig
    public let capabilities: [String]
    /// When set, this agent also serves `Control`: it coordinates operations.
    public let control: ControlCenter?

    public init(hub: SubscriptionHub, listen: ListenConfig, capabilities: [String], control: ControlCenter? = nil) {
        self.hub = hub
        self.listen = listen
        self.capabilities = capabilities
        self.control = control
    }

    /// A started server: the port it bound, and the way to stop it.
    public struct Running: Sendable {
        public let port: Int
        let server: GRPCServer<HTTP2ServerTransport.Posix>
        let task: Task<Void, any Error>
        let latch: ShutdownLatch

        /// Begins a graceful shutdown without waiting: no new connections or RPCs, open
        /// `Subscribe` streams end, and the transport closes each connection once it is idle.
        public func beginStopping() {
            latch.set()
            server.beginGracefulShutdown()
        }

        /// Shuts down gracefully and returns once every connection is closed.
        public func stop() async {
            beginStopping()
            _ = await task.result
        }

        /// Returns when the server has stopped (after `beginStopping`, or on a transport failure).
        public func stopped() async throws {
            try await task.value
        }
    }

    /// Binds and starts serving; returns once the server listens.
    /// - Throws: a configuration error, or why the address could not be bound.
    public func start() async throws -> Running {
        try listen.validate()
        let security: HTTP2ServerTransport.Posix.TransportSecurity
        if let cert = listen.tlsCertificatePath, let key = listen.tlsKeyPath {
            security = .tls(
                certificateChain: [.file(path: cert, format: .pem)], privateKey: .file(path: key, format: .pem))
        } else {
            security = .plaintext
        }
        let transport = HTTP2ServerTransport.Posix(
            address: listen.address.isIPv6
                ? .ipv6(host: listen.host, port: listen.port) : .ipv4(host: listen.address.bindHost, port: listen.port),
            transportSecurity: security)
        let latch = ShutdownLatch()
        var services: [any RegistrableRPCService] = [
            AgentService(hub: hub, capabilities: capabilities, shutdown: latch)
        ]
        if let control { services.append(ControlService(center: control, listen: listen, shutdown: latch)) }
        let server = GRPCServer(
            transport: transport, services: services, interceptors: [TokenAuthenticator(tokens: listen.tokens)])
        // A task of its own, not a child: cancelling whoever started it never reaches the server.
        let task = Task { try await server.serve() }
        do {
            let address = try await transport.listeningAddress
            return Running(
                port: address.ipv4?.port ?? address.ipv6?.port ?? listen.port, server: server, task: task, latch: latch)
        } catch {
            server.beginGracefulShutdown()
            if case .failure(let reason) = await task.result { throw reason }
            throw error
        }
    }

    /// Serves until the calling task is cancelled, then shuts down gracefully and returns;
    /// `bound` is called once with the port actually bound.
    public func serve(bound: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let running = try await start()
        bound(running.port)
        try await withTaskCancellationHandler {
            try await running.stopped()
        } onCancel: {
            running.beginStopping()
        }
    }
}
