/// A span as the request store keeps it: the span, the replica and GPU group it ran on, and the
/// engine figures it carries, all resolved once when it arrives.
public struct RequestSpan: Sendable, Equatable {
    public let span: Span
    /// The replica that served it, when the span or the placement says so.
    public let replica: ReplicaID?
    /// The GPUs it ran on, as operators write them (`gpu0-7`).
    public let gpus: String?
    /// The engine's latency figures, for engine spans.
    public let timings: RequestTimings?

    public init(span: Span, replica: ReplicaID? = nil, gpus: String? = nil) {
        self.span = span
        self.replica = replica
        self.gpus = gpus
        self.timings = RequestTimings(span: span)
    }

    /// The model: the replica's when resolved (so statistics group by the placement's names), else the span's.
    public var model: String? { replica?.model ?? span.modelName }

    /// The heap this span holds beyond its inline size: the span's strings and attributes, the
    /// GPU group's text, and the replica's model name.
    public var heapBytes: Int {
        span.footprintBytes - MemoryLayout<Span>.stride + (gpus.map(SpanStrings.heapBytes) ?? 0)
            + (replica.map { SpanStrings.heapBytes($0.model) } ?? 0)
    }

    /// Whether the span is an engine span: it carries the engine's latency figures.
    public var isEngine: Bool { timings != nil }
}
