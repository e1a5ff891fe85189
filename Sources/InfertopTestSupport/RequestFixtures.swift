import InfertopCore

/// Hand-made spans for request tests and goldens: single spans, vLLM `llm_request` spans with
/// the attribute names and units of DATASOURCES.md §5, one fixed "hero" trace that queued behind
/// a full KV cache, and seeded traffic over every replica of a cluster.
public enum RequestFixtures {
    /// Unix time of virtual second zero in fixture spans.
    public static let epochNanos: UInt64 = 1_700_000_000_000_000_000

    /// Unix nanoseconds of a virtual time (which may be before zero: requests end up to a minute back).
    public static func nanos(_ seconds: Double) -> UInt64 {
        UInt64(Int64(epochNanos) + Int64((seconds * 1e9).rounded()))
    }

    /// A random-looking trace id, the same for the same `n`.
    public static func traceID(_ n: UInt64) -> TraceID {
        var rng = Xoshiro256StarStar(seed: n &* 0x2545_F491_4F6C_DD1D &+ 0x0af7_6519_16cd_43dd)
        return TraceID(high: rng.next() | 1, low: rng.next())
    }

    /// One span; times are virtual seconds.
    public static func span(
        _ trace: TraceID, _ id: UInt64, parent: UInt64? = nil, _ name: String, kind: SpanKind = .internal,
        start: Double, end: Double, node: String? = nil, service: String = "",
        attributes: SpanAttributes = [:], status: SpanStatus = SpanStatus()
    ) -> Span {
        Span(
            traceID: trace, spanID: SpanID(id), parentSpanID: parent.map { SpanID($0) }, name: name, kind: kind,
            startNanos: nanos(start), endNanos: nanos(end), status: status, service: service,
            node: node.map { NodeID($0) },
            attributes: attributes)
    }

    /// A vLLM `llm_request` SERVER span: arrival at `start`, then queue, prefill and decode
    /// (float seconds, as vLLM sets them), ending `tail` seconds after the last token.
    public static func llmRequest(
        _ trace: TraceID, _ id: UInt64, parent: UInt64? = nil, start: Double, queue: Double, prefill: Double,
        decode: Double, tail: Double = 0.004, node: String?, replica: String? = nil, model: String? = nil,
        gpus: String? = nil, promptTokens: Int = 1024, completionTokens: Int = 128, finishReason: String = "stop",
        status: SpanStatus = SpanStatus()
    ) -> Span {
        let e2e = queue + prefill + decode + tail
        var a: SpanAttributes = [
            SpanAttributeKey.requestID: .string("cmpl-\(trace.hex.prefix(8))-\(id)"),
            SpanAttributeKey.timeInQueue: .double(queue),
            SpanAttributeKey.prefill: .double(prefill),
            SpanAttributeKey.decode: .double(decode),
            SpanAttributeKey.inference: .double(prefill + decode),
            SpanAttributeKey.timeToFirstToken: .double(queue + prefill),
            SpanAttributeKey.e2e: .double(e2e),
            SpanAttributeKey.promptTokens: .int(Int64(promptTokens)),
            SpanAttributeKey.completionTokens: .int(Int64(completionTokens)),
            SpanAttributeKey.finishReasons: .string("[\"\(finishReason)\"]")
        ]
        if let replica { a[SpanAttributeKey.replica] = .string(replica) }
        if let model { a[SpanAttributeKey.responseModel] = .string(model) }
        if let gpus { a[SpanAttributeKey.gpus] = .string(gpus) }
        return span(
            trace, id, parent: parent, "llm_request", kind: .server, start: start, end: start + e2e, node: node,
            service: "vllm", attributes: a, status: status)
    }

    /// The W3C example trace id, used for the request that the waterfall goldens open.
    public static let heroTraceID = TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736")!

    /// A chat request through the router to `llama-405b/5` on node-10, ending at `end`: the router
    /// picks a replica, forwards the request (a CLIENT span whose `traceparent` the engine's
    /// `llm_request` SERVER span names as parent), and the request queues 2.1 s (the replica's KV
    /// cache is full at t=70 in the seed-7 simulation) before prefill and decode. The engine's span
    /// arrives first, from node-10's agent; the router's spans come later from another agent.
    public static func heroTrace(endingAt end: Double = 69.6) -> [Span] {
        let t = heroTraceID
        let start = end - 3.862
        let router: SpanAttributes = ["http.route": .string("/v1/chat/completions")]
        return [
            llmRequest(
                t, 4, parent: 3, start: start + 0.085, queue: 2.112, prefill: 0.183, decode: 1.404, tail: 0.006,
                node: "node-10", replica: "llama-405b/5", gpus: "0-7", promptTokens: 2048, completionTokens: 48),
            span(
                t, 2, parent: 1, "pick_replica", start: start + 0.002, end: start + 0.005, node: "router-1",
                service: "router"),
            span(
                t, 3, parent: 1, "proxy_request", kind: .client, start: start + 0.081, end: start + 3.858,
                node: "router-1", service: "router"),
            span(
                t, 1, "POST /v1/chat/completions", kind: .server, start: start, end: end, node: "router-1",
                service: "router", attributes: router)
        ]
    }

    /// Seeded traffic: `count` requests spread over the serving replicas, ending between
    /// `endingAt - 50` and `endingAt`, each a router span with an `llm_request` child whose figures
    /// follow the replica's sampled TTFT and ITL. Every 23rd is aborted, every 31st fails at the
    /// router, every 17th lost its router span (an orphan).
    public static func traffic(_ state: ClusterState, count: Int = 600, endingAt end: Double = 69.5, seed: UInt64 = 7)
        -> [Span]
    {
        var rng = Xoshiro256StarStar(seed: seed)
        let serving = state.replicas.filter { state.replicaSamples[$0.id]?.status != .down }
        guard !serving.isEmpty else { return [] }
        var spans: [Span] = []
        for i in 0..<count {
            let replica = serving[i % serving.count]
            let sample = state.replicaSamples[replica.id]
            let ttft = (sample?.ttftP50Seconds ?? 0.3) * (0.6 + 0.9 * rng.unit())
            let itl = (sample?.itlP50Seconds ?? 0.03) * (0.85 + 0.4 * rng.unit())
            let tokens = 16 + Int(rng.unit() * 380)
            let queue = ttft * (0.1 + 0.5 * rng.unit())
            let decode = itl * Double(tokens - 1)
            let finish = end - 50 * rng.unit()
            let e2e = ttft + decode + 0.004
            let start = finish - e2e - 0.012
            let trace = traceID(UInt64(i) &* 0x9E37_79B9 &+ seed)
            let node = replica.nodes.first?.name
            let aborted = i % 23 == 22
            let routerFails = i % 31 == 30
            let orphan = i % 17 == 16
            spans.append(
                llmRequest(
                    trace, 2, parent: 1, start: start + 0.008, queue: queue, prefill: ttft - queue,
                    decode: aborted ? decode / 3 : decode, node: node,
                    replica: i % 2 == 0 ? replica.id.description : nil,
                    model: replica.id.model, gpus: gpuText(replica, on: node),
                    promptTokens: 256 + Int(rng.unit() * 3000),
                    completionTokens: aborted ? tokens / 3 : tokens,
                    finishReason: aborted ? "abort" : tokens > 390 ? "length" : "stop"))
            if !orphan {
                let status = routerFails ? SpanStatus(code: .error, message: "upstream timeout") : SpanStatus()
                spans.append(
                    span(
                        trace, 1, "POST /v1/chat/completions", kind: .server, start: start, end: start + e2e + 0.012,
                        node: "router-1", service: "router", status: status))
            }
        }
        return spans
    }

    /// The GPUs of a replica on a node, as `infertop.gpus` writes them (`0-7`).
    static func gpuText(_ replica: ReplicaSpec, on node: String?) -> String? {
        let indexes = replica.shards.filter { $0.gpu.node.name == node }.map(\.gpu.index).sorted()
        guard let first = indexes.first, let last = indexes.last else { return nil }
        return first == last ? "\(first)" : "\(first)-\(last)"
    }

    /// A delta carrying spans and span-storage reports, at the state's own time so nothing else moves.
    public static func delta(_ state: ClusterState, spans: [Span], storage: [NodeID: SpanStorageStatus] = [:])
        -> ClusterDelta
    {
        var delta = ClusterDelta(sequence: 1, time: state.time)
        delta.spans = spans
        delta.spanStorage = storage
        return delta
    }
}
