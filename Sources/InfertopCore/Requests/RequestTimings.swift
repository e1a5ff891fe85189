/// The engine's own latency figures for one request, read from a span's `gen_ai.*` attributes.
///
/// vLLM's `llm_request` span carries them as float seconds (DATASOURCES.md §5). TTFT falls back to
/// queue plus prefill (the time to the first token) when the engine does not set it; inter-token
/// latency is the decode time spread over the tokens after the first.
public struct RequestTimings: Sendable, Hashable {
    public var queueSeconds: Double?
    public var prefillSeconds: Double?
    public var decodeSeconds: Double?
    public var ttftSeconds: Double?
    public var e2eSeconds: Double
    public var promptTokens: Int?
    public var completionTokens: Int?

    public init(
        queueSeconds: Double? = nil, prefillSeconds: Double? = nil, decodeSeconds: Double? = nil,
        ttftSeconds: Double? = nil, e2eSeconds: Double, promptTokens: Int? = nil, completionTokens: Int? = nil
    ) {
        self.queueSeconds = queueSeconds
        self.prefillSeconds = prefillSeconds
        self.decodeSeconds = decodeSeconds
        self.ttftSeconds = ttftSeconds
        self.e2eSeconds = e2eSeconds
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    /// Reads the figures of an engine span; nil for a span with no `gen_ai.latency.*` attribute.
    public init?(span: Span) {
        let a = span.attributes
        func seconds(_ key: String) -> Double? {
            guard let v = a[key]?.number, v.isFinite, v >= 0 else { return nil }
            return v
        }
        func count(_ key: String) -> Int? {
            guard let v = a[key]?.number, v.isFinite, v >= 0, v < 1e12 else { return nil }
            return Int(v)
        }
        let queue = seconds(SpanAttributeKey.timeInQueue)
        let prefill = seconds(SpanAttributeKey.prefill)
        let decode = seconds(SpanAttributeKey.decode)
        let e2e = seconds(SpanAttributeKey.e2e)
        var ttft = seconds(SpanAttributeKey.timeToFirstToken)
        guard queue != nil || prefill != nil || decode != nil || ttft != nil || e2e != nil else { return nil }
        if ttft == nil, let q = queue, let p = prefill { ttft = q + p }
        self.init(
            queueSeconds: queue, prefillSeconds: prefill, decodeSeconds: decode, ttftSeconds: ttft,
            e2eSeconds: e2e ?? span.durationSeconds, promptTokens: count(SpanAttributeKey.promptTokens),
            completionTokens: count(SpanAttributeKey.completionTokens))
    }

    /// Decode time over the tokens after the first; nil below two tokens.
    public var itlSeconds: Double? {
        guard let d = decodeSeconds, let n = completionTokens, n >= 2 else { return nil }
        return d / Double(n - 1)
    }
}

extension Span {
    /// The model the span names (`gen_ai.response.model`, else `gen_ai.request.model`).
    public var modelName: String? {
        let name = attributes[SpanAttributeKey.responseModel]?.text ?? attributes[SpanAttributeKey.requestModel]?.text
        return name?.isEmpty == false ? name : nil
    }

    /// The engine's finish reason (`stop`, `length`, `abort`, `error`), with list brackets and quotes removed.
    public var finishReason: String? {
        guard let raw = attributes[SpanAttributeKey.finishReasons]?.description else { return nil }
        let cleaned = raw.filter { !"[]\"' ".contains($0) }
        return cleaned.isEmpty ? nil : cleaned
    }

    /// Whether the request failed: an error status, or the engine finished it by abort or error.
    public var isFailedRequest: Bool {
        if status.isError { return true }
        guard let reason = finishReason?.lowercased() else { return false }
        return reason.contains("abort") || reason.contains("error")
    }

    /// Why the request failed, in a few words: the status message, else the finish reason.
    public var failureText: String? {
        guard isFailedRequest else { return nil }
        if status.isError { return status.message.isEmpty ? "error" : "error: \(status.message)" }
        return finishReason
    }
}
