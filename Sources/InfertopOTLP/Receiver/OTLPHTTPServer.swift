import GRPCCore
import InfertopCore
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import Synchronization

/// OTLP/HTTP on swift-nio: `POST /v1/traces`, protobuf or JSON, optionally gzipped, HTTP/1.1
/// keep-alive. Each connection's pipeline is
/// HTTP codec → `OTLPWireLimit` (body as sent) → request decompressor (body after gunzip) → `OTLPHTTPHandler`.
final class OTLPHTTPServer: Sendable {
    let sink: any OTLPSpanSink
    let counters: OTLPCounters
    let maxBodyBytes: Int
    private let channels = Mutex<(server: (any Channel)?, children: [ObjectIdentifier: any Channel])>((nil, [:]))

    init(sink: any OTLPSpanSink, counters: OTLPCounters, maxBodyBytes: Int) {
        self.sink = sink
        self.counters = counters
        self.maxBodyBytes = maxBodyBytes
    }

    /// Binds and returns the port bound.
    func start(host: String, port: Int) async throws -> Int {
        let limit = maxBodyBytes
        let sink = sink
        let counters = counters
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { [weak self] channel in
                self?.track(channel)
                return channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.configureHTTPServerPipeline(withErrorHandling: true)
                    try sync.addHandler(OTLPWireLimit(limit: limit))
                    try sync.addHandler(NIOHTTPRequestDecompressor(limit: .size(limit)))
                    try sync.addHandler(OTLPHTTPHandler(sink: sink, counters: counters, limit: limit))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        channels.withLock { $0.server = channel }
        return channel.localAddress?.port ?? port
    }

    private func track(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        channels.withLock { $0.children[id] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.channels.withLock { $0.children.removeValue(forKey: id) }
        }
    }

    /// Stops listening and closes open connections.
    func stop() async {
        let (server, children) = channels.withLock { state in
            defer { state = (nil, [:]) }
            return (state.server, Array(state.children.values))
        }
        try? await server?.close()
        for child in children { try? await child.close() }
    }
}

/// Raised when a body is over the limit, by `OTLPWireLimit` (as sent) or the decompressor (after gunzip).
struct OTLPBodyTooLarge: Error {}

/// Counts body bytes as they arrive on the wire, before any decompression, and raises
/// `OTLPBodyTooLarge` once a request's body passes the limit (later parts of it are dropped).
final class OTLPWireLimit: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    let limit: Int
    var received = 0
    var exceeded = false

    init(limit: Int) { self.limit = limit }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            received = 0
            exceeded = false
            context.fireChannelRead(data)
        case .body(let buffer):
            guard !exceeded else { return }
            received += buffer.readableBytes
            if received > limit {
                exceeded = true
                context.fireErrorCaught(OTLPBodyTooLarge())
                return
            }
            context.fireChannelRead(data)
        case .end:
            context.fireChannelRead(data)
        }
    }
}

/// One connection's OTLP/HTTP requests.
final class OTLPHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// A reply decided before the body is read (wrong path, method, type...), sent once it is over.
    struct EarlyReply {
        var status: HTTPResponseStatus
        var code: RPCError.Code
        var message: String
        var format: OTLPBodyFormat
        var headers: [(String, String)] = []
        /// Answering HEAD: headers only.
        var omitBody = false
    }

    enum State {
        case idle
        case receiving(format: OTLPBodyFormat, keepAlive: Bool, body: ByteBuffer)
        case discarding(EarlyReply, keepAlive: Bool, discarded: Int)
        /// A reply was sent and the connection is closing.
        case closing
    }

    let sink: any OTLPSpanSink
    let counters: OTLPCounters
    let limit: Int
    var state = State.idle

    init(sink: any OTLPSpanSink, counters: OTLPCounters, limit: Int) {
        self.sink = sink
        self.counters = counters
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if case .closing = state { return }  // the connection is closing: no more requests
            received(head, context: context)
        case .body(var buffer):
            switch state {
            case .receiving(let format, let keepAlive, var body):
                // The decompressor enforces the limit after gunzip; this catches plain bodies
                // and anything it let through.
                guard body.readableBytes + buffer.readableBytes <= limit else {
                    return tooLarge(context: context, format: format)
                }
                state = .idle  // drop the reference so that the write below does not copy
                body.writeBuffer(&buffer)
                state = .receiving(format: format, keepAlive: keepAlive, body: body)
            case .discarding(let reply, let keepAlive, let discarded):
                let total = discarded + buffer.readableBytes
                if total > limit {
                    // Not worth reading further: answer and close.
                    send(reply, keepAlive: false, context: context)
                } else {
                    state = .discarding(reply, keepAlive: keepAlive, discarded: total)
                }
            case .idle, .closing:
                break
            }
        case .end:
            switch state {
            case .receiving(let format, let keepAlive, let body):
                state = .idle
                process(body, format: format, keepAlive: keepAlive, context: context)
            case .discarding(let reply, let keepAlive, _):
                state = .idle
                send(reply, keepAlive: keepAlive, context: context)
            case .idle, .closing:
                break
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let format: OTLPBodyFormat
        let isBodyError =
            error is OTLPBodyTooLarge || error is NIOHTTPDecompression.DecompressionError
            || error is NIOHTTPDecompression.ExtraDecompressionError
        switch state {
        case .receiving(let f, _, _): format = f
        case .discarding:
            // The body is being dropped anyway (a 404, 415... is on its way): its damage does not matter.
            if isBodyError { return }
            context.close(promise: nil)
            state = .closing
            return
        case .idle, .closing:
            if case .closing = state { return }
            context.close(promise: nil)
            state = .closing
            return
        }
        if error is OTLPBodyTooLarge || (error as? NIOHTTPDecompression.DecompressionError) == .limit {
            return tooLarge(context: context, format: format)
        }
        if isBodyError {
            counters.update { $0.requestsBad += 1 }
            let reply = EarlyReply(
                status: .badRequest, code: .invalidArgument, message: "malformed gzip body: \(error)", format: format)
            return send(reply, keepAlive: false, context: context)
        }
        context.close(promise: nil)
        state = .closing
    }

    private func received(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let keepAlive = head.isKeepAlive
        let contentType = head.headers.first(name: "content-type")
        let format = OTLPBodyFormat(contentType: contentType)
        let replyFormat = format ?? .json
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        func early(
            _ status: HTTPResponseStatus, _ code: RPCError.Code, _ message: String, _ headers: [(String, String)] = []
        ) {
            counters.update { $0.requestsUnsupported += 1 }
            state = .discarding(
                EarlyReply(
                    status: status, code: code, message: message, format: replyFormat, headers: headers,
                    omitBody: head.method == .HEAD),
                keepAlive: keepAlive, discarded: 0)
        }
        guard path == "/v1/traces" else {
            return early(.notFound, .notFound, "no such path \(path): OTLP traces go to POST /v1/traces")
        }
        guard head.method == .POST else {
            return early(
                .methodNotAllowed, .unimplemented, "method \(head.method) not allowed: use POST", [("Allow", "POST")])
        }
        guard let format else {
            return early(
                .unsupportedMediaType, .invalidArgument,
                "unsupported Content-Type \(contentType.map { "\"\($0)\"" } ?? "(none)"): "
                    + "send application/x-protobuf or application/json")
        }
        let encodings = head.headers[canonicalForm: "content-encoding"].map { $0.lowercased() }
        guard encodings.allSatisfy({ $0 == "gzip" || $0 == "identity" }),
            encodings.filter({ $0 == "gzip" }).count <= 1
        else {
            return early(
                .unsupportedMediaType, .invalidArgument,
                "unsupported Content-Encoding \"\(encodings.joined(separator: ", "))\": send gzip or no encoding")
        }
        if let length = head.headers.first(name: "content-length").flatMap({ Int($0) }), length > limit {
            return tooLarge(context: context, format: format)
        }
        let expected = head.headers.first(name: "content-length").flatMap { Int($0) } ?? 0
        if head.headers.first(name: "expect")?.lowercased() == "100-continue" {
            // curl and others wait for this before sending a large body.
            context.writeAndFlush(
                wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
        }
        state = .receiving(
            format: format, keepAlive: keepAlive,
            body: context.channel.allocator.buffer(capacity: min(max(expected, 1024), limit)))
    }

    private func tooLarge(context: ChannelHandlerContext, format: OTLPBodyFormat) {
        counters.update { $0.requestsTooLarge += 1 }
        let reply = EarlyReply(
            status: .payloadTooLarge, code: .resourceExhausted,
            message: "request body over the limit of \(limit) bytes: send smaller batches", format: format)
        // Answer now without reading the rest, and close: the client may still be sending.
        send(reply, keepAlive: false, context: context)
    }

    private func process(_ body: ByteBuffer, format: OTLPBodyFormat, keepAlive: Bool, context: ChannelHandlerContext) {
        let decoded = body.withUnsafeReadableBytes { bytes in
            switch format {
            case .protobuf: OTLPProtobufDecoder.decodeResult(bytes)
            case .json: OTLPJSONDecoder.decodeResult(bytes)
            }
        }
        let result: OTLPDecodeResult
        switch decoded {
        case .success(let r): result = r
        case .failure(let error):
            counters.update { $0.requestsBad += 1 }
            return send(
                EarlyReply(status: .badRequest, code: .invalidArgument, message: error.message, format: format),
                keepAlive: keepAlive, context: context)
        }
        switch counters.admit(result, to: sink) {
        case .accepted:
            let bytes = OTLPReplies.success(
                rejected: result.rejectedSpans, message: result.rejectionMessage, format: format)
            write(status: .ok, format: format, body: bytes, headers: [], keepAlive: keepAlive, context: context)
        case .overloaded(let seconds):
            let reply = EarlyReply(
                status: .tooManyRequests, code: .unavailable, message: "span storage is busy: retry in \(seconds) s",
                format: format, headers: [("Retry-After", String(max(0, seconds)))])
            send(reply, keepAlive: keepAlive, context: context)
        }
    }

    private func send(_ reply: EarlyReply, keepAlive: Bool, context: ChannelHandlerContext) {
        let body = OTLPReplies.status(code: reply.code, message: reply.message, format: reply.format)
        write(
            status: reply.status, format: reply.format, body: body, headers: reply.headers, keepAlive: keepAlive,
            omitBody: reply.omitBody, context: context)
    }

    private func write(
        status: HTTPResponseStatus, format: OTLPBodyFormat, body: [UInt8], headers extra: [(String, String)],
        keepAlive: Bool, omitBody: Bool = false, context: ChannelHandlerContext
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: format.contentType)
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        for (name, value) in extra { headers.add(name: name, value: value) }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if !omitBody {
            var buffer = context.channel.allocator.buffer(capacity: body.count)
            buffer.writeBytes(body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            // Lingering close: send the reply and FIN, read and drop what the client still sends
            // (closing with unread input would reset the connection and could lose the reply), and
            // close for good when the client does or after a few seconds.
            state = .closing
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                channel.close(mode: .output, promise: nil)
                channel.eventLoop.scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
            }
        }
    }
}
