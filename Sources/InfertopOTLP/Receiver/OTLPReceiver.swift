import GRPCCore
import GRPCNIOTransportHTTP2
import InfertopCore
import NIOCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The agent's OTLP trace receiver: OTLP/gRPC (TraceService/Export) and OTLP/HTTP (POST /v1/traces)
/// in protobuf or JSON, handing valid spans to a sink and answering as the OTLP spec says:
/// partial success for invalid spans, 400 / INVALID_ARGUMENT for malformed requests (never
/// retried), 429 + Retry-After / UNAVAILABLE when the sink is overloaded (retried).
public final class OTLPReceiver: Sendable {
    public let config: OTLPReceiverConfig
    let sink: any OTLPSpanSink
    let counters = OTLPCounters()

    private struct Running: Sendable {
        var grpcServer: GRPCServer<HTTP2ServerTransport.Posix>?
        var grpcTask: Task<Void, any Error>?
        var http: OTLPHTTPServer?
    }

    private let running = Mutex(Running())

    public init(config: OTLPReceiverConfig, sink: any OTLPSpanSink) {
        self.config = config
        self.sink = sink
    }

    /// What the receiver did so far, for the agent's /metrics.
    public var stats: OTLPReceiverStats { counters.snapshot }

    /// Starts listening. Returns the ports bound (useful with port 0); nil for a protocol that is off.
    /// Throws, having started nothing, when an address is malformed or cannot be bound.
    public func start() async throws -> (grpcPort: Int?, httpPort: Int?) {
        let grpc = try config.grpcAddress.map { try Self.parse($0, flag: "--otlp-grpc", what: "OTLP/gRPC") }
        let http = try config.httpAddress.map { try Self.parse($0, flag: "--otlp-http", what: "OTLP/HTTP") }
        var grpcPort: Int?
        var httpPort: Int?
        if let grpc {
            grpcPort = try await startGRPC(grpc)
        }
        if let http {
            do {
                httpPort = try await startHTTP(http)
            } catch {
                await stop()
                throw error
            }
        }
        return (grpcPort, httpPort)
    }

    /// Stops both servers and closes their connections.
    public func stop() async {
        let state = running.withLock { state in
            defer { state = Running() }
            return state
        }
        if let server = state.grpcServer {
            server.beginGracefulShutdown()
            _ = await state.grpcTask?.result
        }
        await state.http?.stop()
    }

    private func startGRPC(_ address: HostPort) async throws -> Int {
        let limit = config.maxBodyBytes
        let transport = HTTP2ServerTransport.Posix(
            address: address.isIPv6
                ? .ipv6(host: address.host, port: address.port) : .ipv4(host: address.bindHost, port: address.port),
            transportSecurity: .plaintext,
            config: .defaults {
                $0.compression.enabledAlgorithms = .all
                $0.rpc.maxRequestPayloadSize = limit
            })
        let server = GRPCServer(transport: transport, services: [OTLPTraceService(sink: sink, counters: counters)])
        let task = Task { try await server.serve() }
        do {
            let bound = try await transport.listeningAddress
            running.withLock {
                $0.grpcServer = server
                $0.grpcTask = task
            }
            return bound.ipv4?.port ?? bound.ipv6?.port ?? address.port
        } catch {
            // serve() has the real reason (listeningAddress only says the server stopped).
            server.beginGracefulShutdown()
            let reason: any Error
            switch await task.result {
            case .failure(let failure): reason = failure
            case .success: reason = error
            }
            throw Self.bindError(reason, address: address, what: "OTLP/gRPC", flag: "--otlp-grpc")
        }
    }

    private func startHTTP(_ address: HostPort) async throws -> Int {
        let server = OTLPHTTPServer(sink: sink, counters: counters, maxBodyBytes: config.maxBodyBytes)
        do {
            let port = try await server.start(host: address.bindHost, port: address.port)
            running.withLock { $0.http = server }
            return port
        } catch {
            await server.stop()
            throw Self.bindError(error, address: address, what: "OTLP/HTTP", flag: "--otlp-http")
        }
    }

    static func parse(_ text: String, flag: String, what: String) throws -> HostPort {
        switch HostPort.parse(text, for: .listen) {
        case .success(let address): return address
        case .failure(let error):
            throw OTLPReceiverError(
                "cannot listen for \(what) on \"\(text)\": not HOST:PORT (\(error.reason)); set it with \(flag) HOST:PORT "
                    + "(such as 127.0.0.1:\(what == "OTLP/gRPC" ? 4317 : 4318)) or turn it off with \(flag) off")
        }
    }

    static func bindError(_ error: any Error, address: HostPort, what: String, flag: String) -> OTLPReceiverError {
        OTLPReceiverError(
            "cannot listen for \(what) on \(address.description): \(reason(error)); "
                + "choose another with \(flag) HOST:PORT or turn it off with \(flag) off")
    }

    /// The errno behind a bind failure, in words (`address already in use`), else the error's text.
    static func reason(_ error: any Error) -> String {
        var current: (any Error)? = error
        var depth = 0
        while let e = current, depth < 8 {
            if let io = e as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
            if let runtime = e as? RuntimeError {
                current = runtime.cause
            } else if let rpc = e as? RPCError {
                current = rpc.cause
            } else {
                break
            }
            depth += 1
        }
        let text = String(describing: error)
        for known in ["Address already in use", "Permission denied", "Cannot assign requested address"]
        where text.contains(known) {
            return known.lowercased()
        }
        return text
    }
}
