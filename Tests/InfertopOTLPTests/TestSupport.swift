import Foundation
import InfertopCore
import InfertopTestSupport
import Synchronization

@testable import InfertopOTLP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Fixtures next to this file.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}

/// Deterministic spans with every field Span holds set, for round trips.
enum SampleSpans {
    static func make(count: Int, nodes: Int = 2, attributesEach: Int = 8) -> [Span] {
        (0..<count).map { i in
            var attributes: SpanAttributes = [
                SpanAttributeKey.requestID: .string("req-\(i)"),
                SpanAttributeKey.promptTokens: .int(Int64(100 + i)),
                SpanAttributeKey.timeToFirstToken: .double(0.05 + Double(i) / 1000),
                "infertop.streaming": .bool(i % 2 == 0),
                SpanAttributeKey.serviceInstance: .string("llama-70b/\(i % 3)")
            ]
            for a in 0..<max(0, attributesEach - attributes.count) {
                attributes["extra.attribute.\(a)"] = .string("value \(a) of span \(i) – ünïcödé")
            }
            return Span(
                traceID: TraceID(high: 0xABCD_0000_0000_0000 | UInt64(i / 4 + 1), low: 0x1234_5678_9ABC_DEF0),
                spanID: SpanID(UInt64(1000 + i)),
                parentSpanID: i % 4 == 0 ? nil : SpanID(UInt64(1000 + i - i % 4)),
                name: i % 4 == 0 ? "llm_request" : "stage \"\(i % 4)\"\n",
                kind: SpanKind(rawValue: i % 6)!,
                startNanos: 1_700_000_000_000_000_000 + UInt64(i) * 1_000_000,
                endNanos: 1_700_000_000_000_000_000 + UInt64(i) * 1_000_000 + UInt64(i % 7) * 250_000,
                status: i % 5 == 0
                    ? SpanStatus(code: .error, message: "KV cache \"full\"")
                    : SpanStatus(code: i % 5 == 1 ? .ok : .unset),
                service: i % 3 == 0 ? "vllm" : (i % 3 == 1 ? "router" : ""),
                node: i % nodes == 0
                    ? NodeID("node-0\(i % nodes)") : (i % nodes == 1 ? nil : NodeID("node-1\(i % nodes)")),
                attributes: attributes)
        }
    }
}

/// A sink that keeps what it is given and answers as told.
final class RecordingSink: OTLPSpanSink {
    private let state = Mutex<(spans: [Span], rejected: Int, calls: Int, admission: OTLPAdmission)>(
        ([], 0, 0, .accepted))

    init(admission: OTLPAdmission = .accepted) {
        state.withLock { $0.admission = admission }
    }

    func accept(_ spans: [Span], rejected: Int) -> OTLPAdmission {
        state.withLock {
            $0.calls += 1
            guard $0.admission == .accepted else { return $0.admission }
            $0.spans += spans
            $0.rejected += rejected
            return .accepted
        }
    }

    var spans: [Span] { state.withLock { $0.spans } }
    var rejected: Int { state.withLock { $0.rejected } }
    var calls: Int { state.withLock { $0.calls } }
}

/// A receiver on loopback with free ports, stopped by the caller.
func startReceiver(
    sink: RecordingSink, grpc: Bool = true, http: Bool = true,
    maxBodyBytes: Int = OTLPReceiverConfig.defaultMaxBodyBytes
)
    async throws -> (receiver: OTLPReceiver, grpcPort: Int, httpPort: Int)
{
    let receiver = OTLPReceiver(
        config: OTLPReceiverConfig(
            grpcAddress: grpc ? "127.0.0.1:0" : nil, httpAddress: http ? "127.0.0.1:0" : nil, maxBodyBytes: maxBodyBytes
        ),
        sink: sink)
    let ports = try await receiver.start()
    return (receiver, ports.grpcPort ?? -1, ports.httpPort ?? -1)
}

/// Starts a receiver on loopback with one transport (gRPC or HTTP) into `sink`, runs `body` with
/// the receiver, the sink and that transport's port, then stops it gracefully, also when `body` throws.
func withReceiver<T>(
    sink: RecordingSink = RecordingSink(), grpc: Bool = true, http: Bool = true,
    maxBodyBytes: Int = OTLPReceiverConfig.defaultMaxBodyBytes,
    _ body: (OTLPReceiver, RecordingSink, Int) async throws -> T
) async throws -> T {
    precondition(grpc != http, "one transport at a time")
    let (receiver, grpcPort, httpPort) = try await startReceiver(
        sink: sink, grpc: grpc, http: http, maxBodyBytes: maxBodyBytes)
    return try await withAsyncCleanup {
        try await body(receiver, sink, grpc ? grpcPort : httpPort)
    } cleanup: {
        await receiver.stop()
    }
}

/// `withReceiver` on OTLP/HTTP alone, with one kept-alive connection to it.
func withHTTPReceiver<T>(
    sink: RecordingSink = RecordingSink(),
    _ body: (OTLPReceiver, RecordingSink, RawHTTPConnection) async throws -> T
) async throws -> T {
    try await withReceiver(sink: sink, grpc: false) { receiver, sink, port in
        try await body(receiver, sink, try RawHTTPConnection(port: port))
    }
}

/// An HTTP/1.1 response as read off the socket.
struct RawHTTPResponse {
    var status: Int
    /// Lowercased names.
    var headers: [String: String]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
}

struct SocketError: Error, CustomStringConvertible {
    var description: String
}

/// A blocking HTTP/1.1 client over one TCP connection, so that tests control every byte
/// (keep-alive, chunking, lengths that lie). Reads time out after 10 s.
final class RawHTTPConnection {
    let fd: Int32
    private var pending: [UInt8] = []

    init(port: Int) throws {
        guard let fd = LoopbackSocket.connect(port: port) else {
            throw SocketError(description: "cannot connect to 127.0.0.1:\(port)")
        }
        self.fd = fd
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw SocketError(description: "write: errno \(errno)") }
            sent += n
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Sends a request with Content-Length and reads the response.
    func request(
        _ method: String = "POST", path: String = "/v1/traces", headers: [(String, String)], body: [UInt8]
    ) throws -> RawHTTPResponse {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try send(Array(head.utf8) + body)
        return try readResponse()
    }

    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 { throw SocketError(description: "read: errno \(errno)") }
        if n == 0 { return false }
        pending += chunk[0..<n]
        return true
    }

    /// Reads one response (Content-Length framed, as the receiver always sends).
    func readResponse() throws -> RawHTTPResponse {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            if let range = pending.firstRange(of: separator) {
                headEnd = range.upperBound
            } else if try !fill() {
                throw SocketError(description: "connection closed before a response")
            }
        }
        let headText = String(decoding: pending[0..<headEnd!], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw SocketError(description: "bad status line in \(headText)")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while pending.count < headEnd! + length {
            if try !fill() { throw SocketError(description: "connection closed in a response body") }
        }
        let body = Array(pending[headEnd!..<(headEnd! + length)])
        pending.removeFirst(headEnd! + length)
        return RawHTTPResponse(status: status, headers: headers, body: body)
    }

    /// True when the server has closed the connection (reads return end of file).
    func readsEndOfFile() throws -> Bool {
        pending.isEmpty ? try !fill() : false
    }
}

/// gzip with stored (uncompressed) deflate blocks: a valid gzip stream without needing zlib.
enum StoredGzip {
    static func compress(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        var offset = 0
        repeat {
            let n = min(65535, data.count - offset)
            let final: UInt8 = offset + n == data.count ? 1 : 0
            out.append(final)
            out += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[offset..<(offset + n)]
            offset += n
        } while offset < data.count
        let crc = crc32(data)
        let size = UInt32(truncatingIfNeeded: data.count)
        for v in [crc, size] { for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(k)))) } }
        return out
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var table = [UInt32](repeating: 0, count: 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            table[i] = c
        }
        var crc: UInt32 = 0xFFFF_FFFF
        for b in data { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
