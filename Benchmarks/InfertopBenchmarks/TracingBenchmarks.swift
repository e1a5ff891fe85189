import Benchmark
import Foundation
import InfertopAgent
import InfertopCore
import InfertopOTLP
import InfertopSim
import InfertopTestSupport
import InfertopWire

// Benchmarks of the tracing path: what an agent does per OTLP request (decode, then store in the
// hub's bounded span storage), and whether memory stays bounded when far more spans are offered
// than the agent and the dashboard keep.
//
// The spans are the simulator's (`SimulatedCluster.takeFinishedSpans()`): the router's and each
// engine's spans of every finished request, with their attributes, as the demo exports them.
// They are encoded in setup with `OTLPEncoder`, in requests of 512 spans (the OpenTelemetry SDK's
// BatchSpanProcessor default `maxExportBatchSize`).

/// Spans per OTLP request: the OTel SDK's BatchSpanProcessor default export batch size.
let spansPerRequest = 512

/// The agent's span storage as configured by default (`OTLPSettings`: capacity 20,000), with
/// the ingest-rate limit lifted. The default limit (200,000 spans/s in one-second windows)
/// would refuse batches once a benchmark offers spans faster than that, and the benchmarks would
/// then measure the refusal instead of the store.
func benchmarkSpanSettings() -> OTLPSettings {
    var settings = OTLPSettings()
    settings.maxSpansPerSecond = .max
    return settings
}

/// The seeded 16-node cluster the tracing fixtures take their spans from.
let tracingConfig = SimulationConfig(seed: 7, nodes: 16, gpusPerNode: 8)

/// At least `count` finished spans of `tracingConfig`, oldest first: the cluster runs to
/// t = 60 s, then on in 10 s steps until enough requests have finished.
func simulatedSpans(atLeast count: Int) -> [Span] {
    let cluster = SimulatedCluster(config: tracingConfig)
    cluster.advance(to: 60)
    var spans = cluster.takeFinishedSpans()
    while spans.count < count {
        precondition(cluster.time < 3_600, "the simulator finished only \(spans.count) spans in an hour")
        cluster.advance(to: cluster.time + 10)
        spans += cluster.takeFinishedSpans()
    }
    return spans
}

/// `spans` cut into OTLP requests of `spansPerRequest` spans (the last `count` spans dropped
/// when they do not fill a request), each encoded as protobuf or JSON.
func encodedRequests(_ spans: [Span], json: Bool) -> [[UInt8]] {
    stride(from: 0, to: spans.count - spansPerRequest + 1, by: spansPerRequest).map { start in
        let batch = Array(spans[start..<start + spansPerRequest])
        return json ? OTLPEncoder.json(batch) : OTLPEncoder.protobuf(batch)
    }
}

/// Decodes one request body the way the receiver does, failing loudly (the bodies are valid).
@inline(__always)
func decodeRequest(_ body: [UInt8], json: Bool) -> OTLPDecodeResult {
    do {
        return json ? try OTLPJSONDecoder.decode(body) : try OTLPProtobufDecoder.decode(body)
    } catch {
        preconditionFailure("a prepared OTLP request did not decode: \(error)")
    }
}

/// One node's hub (`SimulatedFleet.hubs(for:spans:)`, as the agent builds it) with the agent's
/// default span storage (capacity 20,000; rate limit lifted, see `benchmarkSpanSettings`).
func agentHub() -> SubscriptionHub {
    let node = ClusterLayout.topology(tracingConfig).nodes[0].id
    return SimulatedFleet(config: tracingConfig).hubs(for: [node], spans: benchmarkSpanSettings())![0]
}

/// Prepared OTLP requests and the hub they are ingested into.
final class IngestFixture {
    let requests: [[UInt8]]
    /// The same requests, decoded (for the store-only benchmark).
    let decoded: [OTLPDecodeResult]
    let hub: SubscriptionHub
    /// A dashboard subscribed to the hub; drained after every iteration, outside the measured region.
    let subscriber: Subscriber
    private var next = 0

    /// 16 requests of 512 spans (8,192 spans), cycled through.
    init(json: Bool) {
        requests = encodedRequests(simulatedSpans(atLeast: 16 * spansPerRequest), json: json).prefix(16).map { $0 }
        decoded = requests.map { decodeRequest($0, json: json) }
        precondition(decoded.allSatisfy { $0.spans.count == spansPerRequest && $0.rejectedSpans == 0 })
        hub = agentHub()
        subscriber = hub.subscribe()
    }

    func nextIndex() -> Int {
        defer { next = (next + 1) % requests.count }
        return next
    }

    /// Measures `batch()` (a decode, or an already decoded batch) and the hub's ingest of it, then
    /// drains the subscriber outside the measured region and records the span rate.
    func measureIngest(_ benchmark: Benchmark, _ batch: () -> OTLPDecodeResult) {
        let elapsed = measured(benchmark) {
            let start = ContinuousClock.now
            let decoded = batch()
            let outcome = hub.ingest(decoded.spans, rejected: decoded.rejectedSpans)
            let elapsed = ContinuousClock.now - start
            guard case .stored = outcome else { preconditionFailure("the storage refused a batch: \(outcome)") }
            return elapsed
        }
        blackHole(subscriber.take())
        if let rate = perSecond(spansPerRequest, elapsed) { benchmark.measurement(spansPerSecond, rate) }
    }
}

/// A pool of protobuf requests for the memory benchmarks: 40 requests, 20,480 spans, more than
/// the agent's storage holds.
final class OfferFixture {
    let requests: [[UInt8]]
    /// The dashboard's state at t = 60 s (no spans yet), for the dashboard-side benchmark.
    let state: ClusterState?

    init(dashboard: Bool) {
        let spans = simulatedSpans(atLeast: 40 * spansPerRequest)
        requests = encodedRequests(spans, json: false).prefix(40).map { $0 }
        state = dashboard ? SimulatedCluster.state(config: tracingConfig, at: 60) : nil
    }

    /// Decodes the prepared requests in turn, `offered` spans in all (the last request cut
    /// short), and hands each batch to `body` with its index.
    @inline(__always)
    func offer(_ offered: Int, _ body: (Int, [Span]) -> Void) {
        var left = offered
        var index = 0
        while left > 0 {
            var spans = decodeRequest(requests[index % requests.count], json: false).spans
            if spans.count > left { spans.removeLast(spans.count - left) }
            left -= spans.count
            body(index, spans)
            index += 1
        }
    }
}

/// The spans with their trace ids changed for pass `pass` over a pool (unchanged for pass 0),
/// so spans offered again are new requests to a `RequestStore`, not repeats it refuses.
/// Spans of one trace stay in one trace.
func renamingTraces(_ spans: [Span], pass: Int) -> [Span] {
    guard pass > 0 else { return spans }
    var renamed = spans
    let mask = UInt64(pass) &* 0x9E37_79B9_7F4A_7C15
    for i in renamed.indices {
        let id = renamed[i].traceID
        renamed[i].traceID = TraceID(high: id.high ^ mask, low: id.low)
    }
    return renamed
}

/// A blocking HTTP/1.1 keep-alive client on loopback, enough for OTLP/HTTP: sends a prepared
/// request and reads one Content-Length-framed response, returning its status code.
final class LoopbackHTTPClient {
    let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 64 << 10)

    init(port: Int) {
        guard let fd = LoopbackSocket.connect(port: port) else {
            preconditionFailure("connect to 127.0.0.1:\(port): errno \(errno)")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        self.fd = fd
    }

    deinit { close(fd) }

    /// `POST /v1/traces` with `body`, as one buffer (head and body).
    static func request(body: [UInt8], contentType: String) -> [UInt8] {
        let head =
            "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(body.count)\r\n\r\n"
        return Array(head.utf8) + body
    }

    /// Sends `request` and reads the whole response; the status code.
    func exchange(_ request: [UInt8]) -> Int {
        request.withUnsafeBytes { bytes in
            var sent = 0
            while sent < bytes.count {
                let n = write(fd, bytes.baseAddress! + sent, bytes.count - sent)
                precondition(n > 0, "write: errno \(errno)")
                sent += n
            }
        }
        var received = 0
        var headEnd: Int?
        var length = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + received, $0.count - received) }
            precondition(n > 0, "read: \(n), errno \(errno)")
            received += n
            if headEnd == nil, let end = Self.headEnd(buffer, received) {
                headEnd = end
                length = Self.contentLength(buffer, end)
            }
            if let headEnd, received >= headEnd + length {
                precondition(received == headEnd + length, "more than one response")
                return Self.status(buffer)
            }
            precondition(received < buffer.count, "response too large")
        }
    }

    private static func headEnd(_ b: [UInt8], _ count: Int) -> Int? {
        guard count >= 4 else { return nil }
        for i in 3..<count where b[i] == 10 && b[i - 1] == 13 && b[i - 2] == 10 && b[i - 3] == 13 { return i + 1 }
        return nil
    }

    private static func contentLength(_ b: [UInt8], _ headEnd: Int) -> Int {
        let head = String(decoding: b[0..<headEnd], as: UTF8.self).lowercased()
        guard let range = head.range(of: "content-length:") else { return 0 }
        return Int(head[range.upperBound...].prefix { $0 != "\r" }.trimmingCharacters(in: .whitespaces)) ?? 0
    }

    private static func status(_ b: [UInt8]) -> Int {
        // "HTTP/1.1 200 OK"
        Int(String(decoding: b[9..<12], as: UTF8.self)) ?? 0
    }
}

/// An `OTLPReceiver` (OTLP/HTTP only) on a free loopback port in front of one agent hub, and a
/// keep-alive client connected to it.
final class HTTPIngestFixture {
    let ingest: IngestFixture
    let receiver: OTLPReceiver
    let client: LoopbackHTTPClient
    let requests: [[UInt8]]

    init() async throws {
        ingest = IngestFixture(json: false)
        receiver = OTLPReceiver(
            config: OTLPReceiverConfig(grpcAddress: nil, httpAddress: "127.0.0.1:0"),
            sink: HubSpanSink(home: ingest.hub))
        let port = try await receiver.start().httpPort!
        client = LoopbackHTTPClient(port: port)
        requests = ingest.requests.map { LoopbackHTTPClient.request(body: $0, contentType: "application/x-protobuf") }
    }
}

let spansPerSecond = BenchmarkMetric.custom("spans/s", polarity: .prefersLarger, useScalingFactor: false)

func perSecond(_ count: Int, _ elapsed: Duration) -> Int? {
    let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
    return nanoseconds > 0 ? Int(Double(count) * 1e9 / nanoseconds) : nil
}

func tracingBenchmarks() {
    // (9), (10): one OTLP request of 512 spans as the agent handles it: decode the body
    // (protobuf or JSON), then `SubscriptionHub.ingest` (store in the bounded span storage and
    // hand the stored spans to the subscriber's pending update). The subscriber is drained after
    // each iteration, outside the measured region, as the agent's writer would.
    for (name, json) in [("OTLP ingest protobuf 512 spans", false), ("OTLP ingest JSON 512 spans", true)] {
        Benchmark(name, configuration: .init(metrics: allMetrics + [spansPerSecond])) { benchmark, fixture in
            let body = fixture.requests[fixture.nextIndex()]
            fixture.measureIngest(benchmark) { decodeRequest(body, json: json) }
        } setup: {
            IngestFixture(json: json)
        }
    }

    // (11): the storing half of (9) alone: `SubscriptionHub.ingest` of an already decoded batch.
    Benchmark("OTLP store only 512 spans", configuration: .init(metrics: allMetrics + [spansPerSecond])) {
        benchmark, fixture in
        let batch = fixture.decoded[fixture.nextIndex()]
        fixture.measureIngest(benchmark) { batch }
    } setup: {
        IngestFixture(json: false)
    }

    // (11a): (9) through the real receiver: an OTLP/HTTP POST of the same protobuf body over a
    // keep-alive loopback connection to `OTLPReceiver` (NIO, its own event-loop thread), which
    // decodes it and hands the spans to the hub (`HubSpanSink`); measured until the client has
    // read the whole 200 response. Wall clock only means something here: the server side runs
    // on another thread, so `CPU (thread)` is the client's.
    Benchmark("OTLP/HTTP loopback protobuf 512 spans", configuration: .init(metrics: allMetrics + [spansPerSecond])) {
        benchmark, fixture in
        let request = fixture.requests[fixture.ingest.nextIndex()]
        let (status, elapsed) = measured(benchmark) {
            let start = ContinuousClock.now
            let status = fixture.client.exchange(request)
            return (status, ContinuousClock.now - start)
        }
        precondition(status == 200, "the receiver answered \(status)")
        blackHole(fixture.ingest.subscriber.take())
        if let rate = perSecond(spansPerRequest, elapsed) { benchmark.measurement(spansPerSecond, rate) }
    } setup: {
        try await HTTPIngestFixture()
    }

    agentSpanMemoryBenchmarks()
    dashboardSpanMemoryBenchmarks()
}
