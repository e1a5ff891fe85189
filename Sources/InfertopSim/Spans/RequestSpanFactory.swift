import InfertopCore

/// Turns one finished simulated request into the spans its services would export over OTLP.
///
/// A trace is: the router's root span (`router`, SERVER) → vLLM's `llm_request` (SERVER, shaped as
/// vLLM V1 writes it, on the replica's first node) → for each later pipeline stage, the activation
/// hop as a `pp send` CLIENT span on the sending node and a `pp stage N` span on the stage's node.
/// Ids come from a generator seeded by the cluster seed and the request, so they never depend on
/// when spans are taken. Times are `epochNanos` plus virtual seconds.
///
/// A lost node exports nothing: a request lost with its replica's first node (where vLLM's API
/// server runs) keeps only the router's error span, placed on a live node; with a later stage's
/// node lost, that stage's span is missing and the others carry the error.
struct RequestSpanFactory {
    let epochNanos: UInt64
    let seed: UInt64
    /// Per engine (a moved replica's new copy is another engine), its placement.
    private(set) var replicas: [ReplicaSpec]
    /// Per engine, per pipeline stage: its node and the GPUs it uses there (`0-7`).
    private(set) var stages: [[Stage]]
    /// Every node in order, for a router span whose whole replica was lost.
    let nodes: [NodeID]
    let queueTimeoutSeconds: Double
    /// The `max_tokens` cap of simulated requests: reaching it finishes with `length`.
    let maxOutputTokens = 4096

    /// One pipeline stage of a replica, as its spans name it.
    struct Stage {
        let node: NodeID
        let gpus: String
    }

    init(config: SimulationConfig, topology: Topology, replicas: [ReplicaSpec], queueTimeoutSeconds: Double) {
        epochNanos = config.spanEpochNanos
        seed = config.seed
        self.replicas = replicas
        nodes = topology.nodes.map(\.id)
        self.queueTimeoutSeconds = queueTimeoutSeconds
        stages = replicas.map(Self.stages)
    }

    /// A new engine (a replica's copy on other GPUs) at the next index.
    mutating func add(_ replica: ReplicaSpec) {
        replicas.append(replica)
        stages.append(Self.stages(replica))
    }

    private static func stages(_ replica: ReplicaSpec) -> [Stage] {
        (0..<replica.pipelineParallel).map { stage in
            let shards = replica.shards.filter { $0.ppStage == stage }
            let node = shards.first?.gpu.node ?? replica.nodes[0]
            return Stage(node: node, gpus: GPUList.text(shards.filter { $0.gpu.node == node }.map(\.gpu.index)))
        }
    }

    /// How many spans `spans(for:)` makes for this request, without making them.
    func spanCount(_ finished: FinishedRequest) -> Int {
        let lost = lostNode(finished)
        let stages = stages[finished.replica]
        guard stages[0].node != lost else { return 1 }
        var count = 2
        guard finished.request.scheduledAt != nil else { return count }
        for s in stages.indices.dropFirst() {
            if stages[s].node != lost { count += 1 }
            if stages[s].node != stages[s - 1].node, stages[s - 1].node != lost { count += 1 }
        }
        return count
    }

    /// The spans of one finished request, root first.
    func spans(for finished: FinishedRequest, into out: inout [Span]) {
        let replica = replicas[finished.replica]
        let stages = stages[finished.replica]
        let request = finished.request
        let lost = lostNode(finished)
        var ids = Xoshiro256StarStar(seed: seed ^ 0x7370_616E_5F69_6473, stream: request.id)
        let trace = TraceID(high: Self.nonZero(&ids), low: Self.nonZero(&ids))
        let requestID = "chatcmpl-" + TraceID(high: ids.next(), low: ids.next()).hex
        let times = Timeline(finished)
        let status = errorStatus(finished)
        let model = replica.model.name

        let root = SpanID(Self.nonZero(&ids))
        out.append(
            Span(
                traceID: trace, spanID: root, name: "router", kind: .server, startNanos: nanos(times.arrival),
                endNanos: nanos(times.finish), status: status, service: "router",
                node: routerNode(stages: stages, lost: lost),
                attributes: [
                    SpanAttributeKey.requestID: .string(requestID), SpanAttributeKey.requestModel: .string(model),
                    SpanAttributeKey.replica: .string(replica.id.description),
                    "http.response.status_code": .int(httpStatus(finished.outcome))
                ]))
        guard stages[0].node != lost else { return }

        let engineSpan = SpanID(Self.nonZero(&ids))
        out.append(
            Span(
                traceID: trace, spanID: engineSpan, parentSpanID: root, name: "llm_request", kind: .server,
                startNanos: nanos(times.arrival), endNanos: nanos(times.finish), status: status, service: "vllm",
                node: stages[0].node, attributes: engineAttributes(finished, times, requestID: requestID)))

        guard let scheduled = times.scheduled else { return }
        for s in stages.indices.dropFirst() {
            let hopID = SpanID(Self.nonZero(&ids))
            let stageID = SpanID(Self.nonZero(&ids))
            let stage = StageSpans(trace: trace, parent: engineSpan, stage: s, scheduled: scheduled, status: status)
            if stages[s].node != stages[s - 1].node, stages[s - 1].node != lost {
                out.append(hopSpan(hopID, stage, finished, lost: lost))
            }
            guard stages[s].node != lost else { continue }
            out.append(stageSpan(stageID, stage, finished, finish: times.finish))
        }
    }

    /// What a later pipeline stage's spans share.
    private struct StageSpans {
        let trace: TraceID
        let parent: SpanID
        let stage: Int
        let scheduled: Double
        let status: SpanStatus
    }

    /// vLLM V1's `llm_request` attributes.
    private func engineAttributes(_ finished: FinishedRequest, _ times: Timeline, requestID: String)
        -> SpanAttributes
    {
        let replica = replicas[finished.replica]
        var attributes: SpanAttributes = [
            SpanAttributeKey.requestID: .string(requestID),
            SpanAttributeKey.responseModel: .string(replica.model.name),
            SpanAttributeKey.promptTokens: .int(Int64(finished.request.promptTokens)),
            SpanAttributeKey.completionTokens: .int(
                Int64(completionTokens(finished, reachedFirstToken: times.firstToken != nil))),
            SpanAttributeKey.timeInQueue: .double(times.queue),
            SpanAttributeKey.e2e: .double(times.finish - times.arrival),
            SpanAttributeKey.prefill: .double(times.prefill),
            SpanAttributeKey.decode: .double(times.decode),
            SpanAttributeKey.inference: .double(times.inference),
            SpanAttributeKey.finishReasons: .string(finishReason(finished)),
            SpanAttributeKey.replica: .string(replica.id.description),
            SpanAttributeKey.gpus: .string(stages[finished.replica][0].gpus)
        ]
        if let first = times.firstToken {
            attributes[SpanAttributeKey.timeToFirstToken] = .double(first - times.arrival)
        }
        return attributes
    }

    /// The request's activation hops to this stage, summed into one span from its first hop.
    private func hopSpan(_ id: SpanID, _ s: StageSpans, _ finished: FinishedRequest, lost: NodeID?) -> Span {
        let replica = replicas[finished.replica]
        let stages = stages[finished.replica]
        let request = finished.request
        let wire = max(request.hopSeconds, 1e-9)
        let bytes = (request.prefilled + request.generated) * Double(replica.model.hiddenSize) * 2
        return Span(
            traceID: s.trace, spanID: id, parentSpanID: s.parent, name: "pp send", kind: .client,
            startNanos: nanos(s.scheduled), endNanos: nanos(s.scheduled) + UInt64((wire * 1e9).rounded()),
            status: stages[s.stage].node == lost ? s.status : SpanStatus(), service: "vllm",
            node: stages[s.stage - 1].node,
            attributes: [
                SpanAttributeKey.replica: .string(replica.id.description),
                "server.address": .string(stages[s.stage].node.name),
                "infertop.pp.stage": .int(Int64(s.stage)),
                "infertop.pp.hops": .int(Int64(request.steps.rounded())),
                "infertop.pp.bytes": .int(Int64(bytes))
            ])
    }

    /// The stage's own span, on its node.
    private func stageSpan(_ id: SpanID, _ s: StageSpans, _ finished: FinishedRequest, finish: Double) -> Span {
        let stage = stages[finished.replica][s.stage]
        return Span(
            traceID: s.trace, spanID: id, parentSpanID: s.parent, name: "pp stage \(s.stage)", kind: .internal,
            startNanos: nanos(s.scheduled), endNanos: nanos(finish), status: s.status, service: "vllm",
            node: stage.node,
            attributes: [
                SpanAttributeKey.replica: .string(replicas[finished.replica].id.description),
                SpanAttributeKey.gpus: .string(stage.gpus),
                "infertop.pp.stage": .int(Int64(s.stage))
            ])
    }

    // MARK: - Pieces

    private func nanos(_ seconds: Double) -> UInt64 { epochNanos &+ UInt64((max(0, seconds) * 1e9).rounded()) }

    private func lostNode(_ finished: FinishedRequest) -> NodeID? {
        if case .lost(let node) = finished.outcome { return node }
        return nil
    }

    /// The router's span goes to the replica's first live node (the agent there receives it), else any live node.
    private func routerNode(stages: [Stage], lost: NodeID?) -> NodeID? {
        stages.first { $0.node != lost }?.node ?? nodes.first { $0 != lost }
    }

    private func errorStatus(_ finished: FinishedRequest) -> SpanStatus {
        switch finished.outcome {
        case .completed: SpanStatus()
        case .aborted: SpanStatus(code: .error, message: "aborted after \(Int(queueTimeoutSeconds)) s in queue")
        case .lost(let node): SpanStatus(code: .error, message: "\(node.name) lost")
        }
    }

    private func httpStatus(_ outcome: FinishedRequest.Outcome) -> Int64 {
        switch outcome {
        case .completed: 200
        case .aborted: 504
        case .lost: 502
        }
    }

    private func finishReason(_ finished: FinishedRequest) -> String {
        guard finished.outcome == .completed else { return "abort" }
        return finished.request.outputTokens >= maxOutputTokens ? "length" : "stop"
    }

    private func completionTokens(_ finished: FinishedRequest, reachedFirstToken: Bool) -> Int {
        if finished.outcome == .completed { return finished.request.outputTokens }
        return reachedFirstToken ? 1 + Int(finished.request.generated) : 0
    }

    private static func nonZero(_ rng: inout Xoshiro256StarStar) -> UInt64 {
        var value = rng.next()
        while value == 0 { value = rng.next() }
        return value
    }
}
