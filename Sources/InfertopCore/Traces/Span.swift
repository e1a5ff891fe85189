/// One finished span as infertop keeps it: the OTLP fields the dashboard needs, with its node resolved.
///
/// Attributes are bounded by the decoder (count and string length) so that storage stays bounded.
public struct Span: Sendable, Hashable {
    public var traceID: TraceID
    public var spanID: SpanID
    /// nil for a root span.
    public var parentSpanID: SpanID?
    public var name: String
    public var kind: SpanKind
    public var startNanos: UInt64
    public var endNanos: UInt64
    public var status: SpanStatus
    /// The resource's `service.name` ("" when absent).
    public var service: String
    /// The resource's `host.name`; nil when absent (the receiving agent fills in its own node).
    public var node: NodeID?
    /// Span attributes, then the resource attributes infertop reads (`service.instance.id`, ...), span keys winning.
    public var attributes: SpanAttributes

    public init(
        traceID: TraceID, spanID: SpanID, parentSpanID: SpanID? = nil, name: String, kind: SpanKind = .internal,
        startNanos: UInt64, endNanos: UInt64, status: SpanStatus = SpanStatus(), service: String = "",
        node: NodeID? = nil, attributes: SpanAttributes = [:]
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.name = SpanStrings.interned(name)
        self.kind = kind
        self.startNanos = startNanos
        self.endNanos = endNanos
        self.status = status
        self.service = SpanStrings.interned(service)
        self.node = node
        self.attributes = attributes
    }

    public var durationNanos: UInt64 { endNanos >= startNanos ? endNanos - startNanos : 0 }
    public var durationSeconds: Double { Double(durationNanos) / 1e9 }
    public var isRoot: Bool { parentSpanID == nil }

    /// What one stored span costs: its inline size and the heap its strings and attributes hold
    /// (`SpanStrings.heapBytes`: interned and inline strings cost nothing, shared ones are counted
    /// in each span). Stores bound themselves in these bytes.
    public var footprintBytes: Int {
        MemoryLayout<Span>.stride + SpanStrings.heapBytes(name) + SpanStrings.heapBytes(service)
            + SpanStrings.heapBytes(status.message) + (node.map { SpanStrings.heapBytes($0.name) } ?? 0)
            + attributes.heapBytes
    }
}

/// OTLP `Span.SpanKind`, with the spec's numbers.
public enum SpanKind: Int, Sendable, CaseIterable {
    case unspecified = 0
    case `internal` = 1
    case server = 2
    case client = 3
    case producer = 4
    case consumer = 5
}

/// OTLP `Status`: a code (0 unset, 1 ok, 2 error) and a message.
public struct SpanStatus: Sendable, Hashable {
    public enum Code: Int, Sendable {
        case unset = 0
        case ok = 1
        case error = 2
    }

    public var code: Code
    public var message: String

    public init(code: Code = .unset, message: String = "") {
        self.code = code
        self.message = message
    }

    public var isError: Bool { code == .error }
}

/// An attribute value. Arrays and key-value lists are kept as their rendered text.
public enum AttributeValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)

    /// The value as a number of seconds or a count, when it is numeric.
    public var number: Double? {
        switch self {
        case .int(let v): Double(v)
        case .double(let v): v
        case .string(let s): Double(s)
        case .bool: nil
        }
    }

    public var text: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var description: String {
        switch self {
        case .string(let s): s
        case .bool(let b): String(b)
        case .int(let i): String(i)
        case .double(let d): String(d)
        }
    }
}

/// The attribute keys infertop reads, with their sources (DATASOURCES.md §5, §7, OpenTelemetry semantic conventions).
public enum SpanAttributeKey {
    public static let hostName = "host.name"
    public static let serviceName = "service.name"
    public static let serviceInstance = "service.instance.id"
    /// infertop's own attribute naming a replica outright (`llama-405b/2`); engines may set it through OTEL_RESOURCE_ATTRIBUTES.
    public static let replica = "infertop.replica"
    /// infertop's own attribute naming the GPUs a span ran on (`0-7`).
    public static let gpus = "infertop.gpus"
    public static let requestID = "gen_ai.request.id"
    public static let responseModel = "gen_ai.response.model"
    public static let requestModel = "gen_ai.request.model"
    public static let promptTokens = "gen_ai.usage.prompt_tokens"
    public static let completionTokens = "gen_ai.usage.completion_tokens"
    public static let timeInQueue = "gen_ai.latency.time_in_queue"
    public static let timeToFirstToken = "gen_ai.latency.time_to_first_token"
    public static let e2e = "gen_ai.latency.e2e"
    public static let prefill = "gen_ai.latency.time_in_model_prefill"
    public static let decode = "gen_ai.latency.time_in_model_decode"
    public static let inference = "gen_ai.latency.time_in_model_inference"
    public static let finishReasons = "gen_ai.response.finish_reasons"
}
