import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A minimal HTTP/1.1 server for the agent's Prometheus metrics: `GET /metrics` answers the
/// text exposition, another path 404, another method on `/metrics` 405.
///
/// Metrics hold no secrets, so any address is allowed; the agent binds loopback unless told
/// otherwise and logs a wider address.
public final class MetricsServer: Sendable {
    public let host: String
    public let port: Int
    public let metrics: AgentMetrics

    private struct State {
        var boundPort: Int?
        var listener: (any Channel)?
        var stopRequested = false
        var connections: [ObjectIdentifier: any Channel] = [:]
    }

    private let state = Mutex(State())

    public init(host: String, port: Int, metrics: AgentMetrics) {
        self.host = host
        self.port = port
        self.metrics = metrics
    }

    /// The port actually bound (the one asked for, or the kernel's pick for port 0) once
    /// `run` is listening; nil before.
    public var boundPort: Int? { state.withLock { $0.boundPort } }

    public func run() async throws { try await run(listening: { _ in }) }

    /// Stops listening and closes open connections; `run` then returns. Stopping before `run`
    /// has bound makes it return as soon as it does.
    public func stop() {
        let listener = state.withLock { s -> (any Channel)? in
            s.stopRequested = true
            return s.listener
        }
        listener?.close(promise: nil)
    }

    /// Serves until `stop()` or until the calling task is cancelled (both close the listening
    /// socket, then every open connection); `listening` is called once with the port bound.
    public func run(listening: @escaping @Sendable (Int) -> Void) async throws {
        let metrics = self.metrics
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                track(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(metrics: metrics))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        let bound = channel.localAddress?.port ?? port
        let stopRequested = state.withLock { s -> Bool in
            s.boundPort = bound
            s.listener = channel
            return s.stopRequested
        }
        if stopRequested { channel.close(promise: nil) }
        listening(bound)
        await withTaskCancellationHandler {
            try? await channel.closeFuture.get()
        } onCancel: {
            channel.close(promise: nil)
        }
        // Keep-alive connections outlive the listening socket; close them too.
        let open = state.withLock { s in
            s.boundPort = nil
            s.listener = nil
            return Array(s.connections.values)
        }
        for connection in open { connection.close(promise: nil) }
    }

    private func track(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        state.withLock { $0.connections[id] = channel }
        channel.closeFuture.whenComplete { [self] _ in _ = state.withLock { $0.connections.removeValue(forKey: id) } }
    }
}

/// Answers each request on one connection; keeps the connection open when the client asks.
final class MetricsHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let metrics: AgentMetrics
    private var head: HTTPRequestHead?

    init(metrics: AgentMetrics) { self.metrics = metrics }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = request.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(
            String.init)
        var headers = HTTPHeaders()
        let status: HTTPResponseStatus
        let body: [UInt8]
        if path != "/metrics" {
            status = .notFound
            body = Array("not found; the agent's metrics are at /metrics\n".utf8)
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        } else if request.method != .GET {
            status = .methodNotAllowed
            body = Array("method not allowed; use GET\n".utf8)
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            headers.add(name: "Allow", value: "GET")
        } else {
            status = .ok
            body = metrics.render()
            headers.add(name: "Content-Type", value: Self.contentType)
        }
        let keepAlive = request.isKeepAlive
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))),
            promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
