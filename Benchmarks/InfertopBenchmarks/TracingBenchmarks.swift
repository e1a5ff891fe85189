import Benchmark
import Foundation
import InfertopAgent
import InfertopCore
import InfertopOTLP
import InfertopSim
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
            let elapsed = measured(benchmark) {
                let start = ContinuousClock.now
                let decoded = decodeRequest(body, json: json)
                let outcome = fixture.hub.ingest(decoded.spans, rejected: decoded.rejectedSpans)
                let elapsed = ContinuousClock.now - start
                guard case .stored = outcome else { preconditionFailure("the storage refused a batch: \(outcome)") }
                return elapsed
            }
            blackHole(fixture.subscriber.take())
            if let rate = perSecond(spansPerRequest, elapsed) { benchmark.measurement(spansPerSecond, rate) }
        } setup: {
            IngestFixture(json: json)
        }
    }

    // (11): the storing half of (9) alone: `SubscriptionHub.ingest` of an already decoded batch.
    Benchmark("OTLP store only 512 spans", configuration: .init(metrics: allMetrics + [spansPerSecond])) {
        benchmark, fixture in
        let batch = fixture.decoded[fixture.nextIndex()]
        let elapsed = measured(benchmark) {
            let start = ContinuousClock.now
            let outcome = fixture.hub.ingest(batch.spans, rejected: batch.rejectedSpans)
            let elapsed = ContinuousClock.now - start
            guard case .stored = outcome else { preconditionFailure("the storage refused a batch: \(outcome)") }
            return elapsed
        }
        blackHole(fixture.subscriber.take())
        if let rate = perSecond(spansPerRequest, elapsed) { benchmark.measurement(spansPerSecond, rate) }
    } setup: {
        IngestFixture(json: false)
    }

    // (12), (13): bounded memory on the agent. One iteration offers `offered` spans, in
    // protobuf requests of 512, to a fresh hub with the agent's default storage (20,000 spans)
    // and one subscriber that never reads (its pending update keeps the newest 8,192 spans).
    // Peak RSS is sampled by the harness over the whole run (setup included).
    let memoryMetrics: [BenchmarkMetric] = [
        .wallClock, threadCPU, .mallocCountTotal, .peakMemoryResident, .peakMemoryResidentDelta, spansPerSecond,
    ]
    for (name, offered, iterations) in [
        ("span memory agent 100k spans", 100_000, 20), ("span memory agent 1M spans", 1_000_000, 5),
    ] {
        let configuration = Benchmark.Configuration(
            metrics: memoryMetrics, warmupIterations: 1, maxDuration: .seconds(60), maxIterations: iterations)
        Benchmark(name, configuration: configuration) { benchmark, fixture in
            let hub = agentHub()
            let subscriber = hub.subscribe()
            let elapsed = measured(benchmark) {
                let start = ContinuousClock.now
                fixture.offer(offered) { _, spans in
                    let outcome = hub.ingest(spans)
                    guard case .stored = outcome else { preconditionFailure("the storage refused a batch: \(outcome)") }
                }
                return ContinuousClock.now - start
            }
            let status = hub.spans.status
            precondition(
                status.stored == hub.spans.capacity && status.accepted == UInt64(offered)
                    && status.dropped == UInt64(offered - hub.spans.capacity),
                "agent storage: \(status)")
            let pending = subscriber.take()
            precondition(
                pending?.values?.spans.count == NodeValues.spanLimit
                    && pending?.spansDropped == UInt64(offered - NodeValues.spanLimit),
                "subscriber: \(pending?.values?.spans.count ?? -1) pending, \(pending?.spansDropped ?? 0) dropped")
            if let rate = perSecond(offered, elapsed) { benchmark.measurement(spansPerSecond, rate) }
        } setup: {
            OfferFixture(dashboard: false)
        }
    }

    // (14), (15): bounded memory on the dashboard. One iteration folds `offered` spans, in
    // batches of 512, into a fresh copy of the 16-node cluster state with
    // `ClusterState.apply(delta)` (`delta.spans`, as the merger delivers them), so they land in
    // its `RequestStore` (default limits: 4,096 traces, 65,536 spans). Each pass over the pool
    // gives the spans new trace ids, so every offered span is new to the store.
    for (name, offered, iterations) in [
        ("span memory dashboard 100k spans", 100_000, 20), ("span memory dashboard 1M spans", 1_000_000, 5),
    ] {
        let configuration = Benchmark.Configuration(
            metrics: memoryMetrics, warmupIterations: 1, maxDuration: .seconds(60), maxIterations: iterations)
        Benchmark(name, configuration: configuration) { benchmark, fixture in
            var state = fixture.state!
            let elapsed = measured(benchmark) {
                let start = ContinuousClock.now
                fixture.offer(offered) { index, batch in
                    var spans = batch
                    let pass = UInt64(index / fixture.requests.count)
                    if pass > 0 {
                        for i in spans.indices {
                            let id = spans[i].traceID
                            spans[i].traceID = TraceID(high: id.high ^ (pass &* 0x9E37_79B9_7F4A_7C15), low: id.low)
                        }
                    }
                    var delta = ClusterDelta(sequence: UInt64(index), time: state.time)
                    delta.spans = spans
                    state.apply(delta)
                }
                return ContinuousClock.now - start
            }
            let store = state.requests
            precondition(
                store.count <= store.limits.traces && store.spanCount <= store.limits.spans
                    && UInt64(store.spanCount) + store.evictedSpans + store.refusedSpans == UInt64(offered),
                "request store: \(store.count) traces, \(store.spanCount) spans, \(store.evictedSpans) evicted, \(store.refusedSpans) refused")
            blackHole(state)
            if let rate = perSecond(offered, elapsed) { benchmark.measurement(spansPerSecond, rate) }
        } setup: {
            OfferFixture(dashboard: true)
        }
    }
}
